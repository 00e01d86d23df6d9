package dev.mlp.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlp.core.registry.Registry;
import dev.mlp.run.Model;
import dev.mlp.run.config.ConfigException;
import dev.mlp.run.image.BlankImageException;
import dev.mlp.run.image.MnistImages;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.ByteBufferContentSource;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A checkpoint served over HTTP on Jetty 12's core API:
 *
 * <ul>
 *   <li>{@code POST /v1/predict}: JSON ({@link Predictions}) or a picture ({@code image/png},
 *       {@code image/jpeg}, ...; prepared as {@code mlp predict} prepares a file);
 *   <li>{@code GET /v1/model}: what the model is and reads; {@code GET /health};
 *   <li>{@code GET /}: a page that fits the model (a canvas for a picture model, a form for a table
 *       model), from the jar.
 * </ul>
 *
 * Bodies are read without holding a thread and are bounded ({@link ServeOptions#maxBodyBytes}, 413
 * beyond); a silent connection is closed after the idle timeout; every refusal is a 4xx with {@code
 * {"error": "..."}}. With {@link ServeOptions#reload}, a replaced checkpoint file is loaded beside
 * the one being served and swapped in whole: a request in flight finishes on the weights it started
 * with, the next one gets the new ones. {@link #stop} lets requests in flight finish.
 */
public final class ModelServer implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;
  private final AtomicReference<Served> served;
  private final Path checkpoint;
  private final Registry registry;
  private final ServeOptions options;
  private final Consumer<String> log;
  private final Path uploads;
  private final Map<String, Page.Resource> pages;
  private final AtomicLong uploadCount = new AtomicLong();
  private volatile boolean stopping;
  private long startNanos;
  private Thread reloader;

  private ModelServer(
      Path checkpoint, Registry registry, ServeOptions options, Consumer<String> log, Served first)
      throws IOException {
    this.checkpoint = checkpoint;
    this.registry = registry;
    this.options = options;
    this.log = log;
    this.served = new AtomicReference<>(first);
    this.uploads = Files.createTempDirectory("mlp-serve-uploads");
    this.pages = Page.resources();
    // requests wait for a free worker on a thread of their own: enough threads that waiting ones
    // never starve Jetty of the threads it reads new requests with
    QueuedThreadPool pool = new QueuedThreadPool(Math.max(256, 8 * options.workers()), 4);
    pool.setName("mlp-serve");
    server = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(options.host());
    connector.setPort(options.port());
    connector.setIdleTimeout(options.idleTimeoutMillis());
    server.addConnector(connector);
    server.setHandler(new Routes());
    server.setErrorHandler(new JsonErrors()); // Jetty's own refusals (bad HTTP) as JSON too
    server.setStopTimeout(1_000); // stop() has waited for the requests in flight already
    server.setStopAtShutdown(false);
  }

  /**
   * Loads {@code checkpoint} and starts serving it.
   *
   * @throws IOException if the checkpoint cannot be read or the address cannot be bound
   */
  public static ModelServer start(
      Path checkpoint, Registry registry, ServeOptions options, Consumer<String> log)
      throws IOException, ConfigException {
    Served first = Served.load(checkpoint, registry, options);
    long loaded = System.nanoTime();
    ModelServer s = new ModelServer(checkpoint, registry, options, log, first);
    try {
      s.server.start();
    } catch (IOException e) {
      s.close();
      throw new IOException(
          options.host() + ":" + options.port() + ": cannot listen there (" + e.getMessage() + ")",
          e);
    } catch (Exception e) {
      s.close();
      throw new IOException("the server did not start: " + e, e);
    }
    s.startNanos = System.nanoTime() - loaded;
    if (options.reload()) {
      s.startReloader();
    }
    s.warmUp();
    return s;
  }

  /** The port it listens on (the one chosen for port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** http://host:port/ */
  public URI uri() {
    String bare = options.host().replaceAll("^\\[(.*)\\]$", "$1");
    String host = bare.contains(":") ? "[" + bare + "]" : bare;
    return URI.create("http://" + host + ":" + port() + "/");
  }

  /** How long the server took to listen once the model was loaded, in milliseconds. */
  public double startMillis() {
    return startNanos / 1e6;
  }

  /** The model being served now. */
  public Model model() {
    return served.get().model();
  }

  /** SHA-256 of the checkpoint being served now. */
  public String checkpointSha256() {
    return served.get().sha256();
  }

  /**
   * Stops taking connections, lets the requests in flight finish (up to 30 s: one whose body is
   * still arriving gets it, and its answer), then stops.
   */
  public void stop() throws Exception {
    stopping = true;
    if (reloader != null) {
      reloader.interrupt();
    }
    connector.close(); // no new connections; the open ones carry on
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    server.stop();
  }

  /** Requests being answered now. */
  private final java.util.concurrent.atomic.AtomicInteger inFlight =
      new java.util.concurrent.atomic.AtomicInteger();

  /** {@code callback}, counting the request out of {@link #inFlight} when it completes. */
  private Callback counted(Callback callback) {
    inFlight.incrementAndGet();
    return new Callback() {
      private final java.util.concurrent.atomic.AtomicBoolean done =
          new java.util.concurrent.atomic.AtomicBoolean();

      @Override
      public void succeeded() {
        try {
          callback.succeeded();
        } finally {
          out();
        }
      }

      @Override
      public void failed(Throwable x) {
        try {
          callback.failed(x);
        } finally {
          out();
        }
      }

      @Override
      public InvocationType getInvocationType() {
        return callback.getInvocationType();
      }

      private void out() {
        if (done.compareAndSet(false, true)) {
          inFlight.decrementAndGet();
        }
      }
    };
  }

  /** Waits until the server has stopped. */
  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() {
    try {
      if (server.isStarted() || server.isStarting()) {
        stop();
      }
    } catch (Exception e) {
      // stopping anyway
    }
    try (var left = Files.list(uploads)) {
      left.forEach(
          f -> {
            try {
              Files.deleteIfExists(f);
            } catch (IOException e) {
              // a temporary file left behind
            }
          });
      Files.deleteIfExists(uploads);
    } catch (IOException | UncheckedIOException e) {
      // a temporary folder left behind
    }
  }

  /**
   * Compiles the request path (JSON parsing, the model, the answer) on a background thread while
   * the first requests may already come: without it the first few hundred answers wait for the JIT.
   * It takes a replica as a request does, so it never runs on one a request holds.
   */
  private void warmUp() {
    Thread t =
        new Thread(
            () -> {
              Served s = served.get();
              int d = s.model().inputSize();
              StringBuilder row = new StringBuilder("[");
              for (int j = 0; j < d; j++) {
                row.append(j == 0 ? "" : ",").append(j % 7 == 0 ? "0.5" : "0");
              }
              row.append(']');
              byte[] one = ("{\"inputs\":[" + row + "]}").getBytes(StandardCharsets.US_ASCII);
              byte[] many =
                  ("{\"inputs\":["
                          + String.join(",", java.util.Collections.nCopies(64, row))
                          + "]}")
                      .getBytes(StandardCharsets.US_ASCII);
              for (int i = 0; i < 2000 && !stopping && served.get() == s; i++) {
                Model m;
                try {
                  m = s.take();
                } catch (InterruptedException e) {
                  return;
                }
                try {
                  bytes(
                      Predictions.answer(
                          s, m, Predictions.parse(i % 50 == 49 ? many : one, m, 64)));
                } catch (BadRequest | RuntimeException e) {
                  return; // a warm-up that fails only warms less
                } finally {
                  s.give(m);
                }
              }
            },
            "mlp-serve-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  private void startReloader() {
    reloader =
        new Thread(
            () -> {
              String seen = stat(checkpoint);
              String failed = null;
              while (!stopping) {
                try {
                  Thread.sleep(options.reloadPollMillis());
                } catch (InterruptedException e) {
                  return;
                }
                String now = stat(checkpoint);
                if (now == null || now.equals(seen) || now.equals(failed)) {
                  continue;
                }
                long t0 = System.nanoTime();
                try {
                  Served next = Served.load(checkpoint, registry, options);
                  served.set(next);
                  seen = now;
                  log.accept(
                      String.format(
                          Locale.ROOT,
                          "reloaded %s: epoch %d, sha256 %s, in %.0f ms",
                          checkpoint,
                          next.epoch(),
                          next.sha256().substring(0, 12),
                          (System.nanoTime() - t0) / 1e6));
                } catch (IOException | ConfigException | RuntimeException e) {
                  failed = now;
                  log.accept(
                      "reload of "
                          + checkpoint
                          + " failed: "
                          + e.getMessage()
                          + "; still serving the previous weights");
                }
              }
            },
            "mlp-serve-reload");
    reloader.setDaemon(true);
    reloader.start();
  }

  /** Size, modification time and file key: what changes when the file is replaced. */
  private static String stat(Path p) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      Object ctime = null;
      try {
        ctime = Files.getAttribute(p, "unix:ctime"); // an overwrite in place keeping size and mtime
      } catch (UnsupportedOperationException | IllegalArgumentException e) {
        // not a Unix file system: size, mtime and key only
      }
      return a.size() + " " + a.lastModifiedTime().toMillis() + " " + a.fileKey() + " " + ctime;
    } catch (IOException e) {
      return null; // between an unlink and a rename, or gone: keep serving what is loaded
    }
  }

  /** The routes. */
  private final class Routes extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback done) {
      Callback callback = counted(done);
      if (stopping) {
        closing(response); // the client should go elsewhere for its next request
      }
      String path = Request.getPathInContext(request);
      String method = request.getMethod();
      if (!path.equals("/v1/predict")) {
        closingIfBodyUnread(request, response); // no other route reads a body
      }
      try {
        switch (path) {
          case "/v1/predict" -> {
            allow(method, "POST");
            predict(request, response, callback);
          }
          case "/v1/model" -> {
            allow(method, "GET");
            send(response, callback, 200, "application/json", served.get().infoJson());
          }
          case "/health" -> {
            allow(method, "GET");
            ObjectNode o = Predictions.JSON.createObjectNode();
            o.put("status", stopping ? "stopping" : "ok");
            o.put("checkpoint_sha256", served.get().sha256());
            o.put("in_flight", inFlight.get() - 1); // other requests being answered now
            send(response, callback, stopping ? 503 : 200, "application/json", bytes(o));
          }
          default -> {
            Page.Resource page = pages.get(path.equals("/") ? "/index.html" : path);
            if (page == null) {
              throw new BadRequest(404, "no such path: " + Predictions.clip(path));
            }
            allow(method, "GET");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            send(response, callback, 200, page.contentType(), page.bytes());
          }
        }
      } catch (BadRequest e) {
        if (e.status() == 405) {
          response.getHeaders().put(HttpHeader.ALLOW, e.getMessage().replaceAll(".*only ", ""));
        }
        closingIfBodyUnread(request, response);
        error(response, callback, e.status(), e.getMessage());
      } catch (RuntimeException | OutOfMemoryError e) {
        closingIfBodyUnread(request, response);
        error(response, callback, 500, "the server failed on this request: " + e);
      }
      return true;
    }
  }

  private static void allow(String method, String allowed) throws BadRequest {
    if (!method.equals(allowed) && !(allowed.equals("GET") && method.equals("HEAD"))) {
      throw new BadRequest(405, method + " is not allowed here; only " + allowed);
    }
  }

  private void predict(Request request, Response response, Callback callback) throws BadRequest {
    long length = request.getLength();
    if (length > options.maxBodyBytes()) {
      throw tooLarge(length);
    }
    String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    int semicolon = type == null ? -1 : type.indexOf(';');
    String mime =
        type == null
            ? "application/json"
            : (semicolon < 0 ? type : type.substring(0, semicolon))
                .strip()
                .toLowerCase(Locale.ROOT);
    boolean form = mime.equals("multipart/form-data"); // curl -F file=@digit.png, an HTML form
    boolean image = mime.startsWith("image/") || form;
    if (!image && !mime.equals("application/json")) {
      throw new BadRequest(
          415,
          "Content-Type "
              + Predictions.clip(mime)
              + " is not read here; send application/json, a picture (image/png, image/jpeg) or a"
              + " form with one (multipart/form-data)");
    }
    String boundary;
    try {
      boundary = form ? MultiPart.extractBoundary(type) : null;
    } catch (RuntimeException e) {
      throw new BadRequest(
          400, "the multipart/form-data boundary cannot be read: " + e.getMessage());
    }
    if (form && boundary == null) {
      throw new BadRequest(400, "a multipart/form-data body needs a boundary in its Content-Type");
    }
    Content.Source.asByteArrayAsync(
        request,
        (int) Math.min(Integer.MAX_VALUE - 16, options.maxBodyBytes()),
        Promise.Invocable.from(
            Invocable.InvocationType.BLOCKING,
            body -> answer(body, image, boundary, response, callback),
            failure -> {
              if (failure instanceof TimeoutException) {
                closing(response);
                error(response, callback, 408, "the request body did not arrive in time");
              } else if (String.valueOf(failure.getMessage())
                  .toLowerCase(Locale.ROOT)
                  .contains("max size")) { // Jetty's words for a body past the limit
                closing(response);
                error(response, callback, 413, tooLarge(-1).getMessage());
              } else {
                closing(response);
                error(response, callback, 400, "the request body could not be read: " + failure);
              }
            }));
  }

  private BadRequest tooLarge(long length) {
    return new BadRequest(
        413,
        "the body "
            + (length >= 0 ? "is " + length + " bytes" : "is too large")
            + "; at most "
            + options.maxBodyBytes()
            + " bytes a request (mlp serve --max-body)");
  }

  /**
   * Before an answer that does not read the request's body (a GET's, a 404, 405, 415, an early
   * 413): Jetty can keep the connection only if the whole body has already arrived, and otherwise
   * closes it once the answer is sent. The answer must then say so, or a client that pools
   * connections sends its next request down a connection that is closing ("header parser received
   * no bytes"). Nothing is done once an answer has gone out (a failure after the body was read).
   */
  private static void closingIfBodyUnread(Request request, Response response) {
    if (!response.isCommitted() && !request.consumeAvailable()) {
      closing(response);
    }
  }

  private static void closing(Response response) {
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
  }

  private void answer(
      byte[] body, boolean image, String boundary, Response response, Callback callback) {
    Served s = served.get();
    Model m;
    try {
      m = s.take(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error(response, callback, 503, "the server is stopping");
      return;
    }
    if (m == null) {
      error(response, callback, 503, "every worker was busy for 60 s; try again later");
      return;
    }
    byte[] out;
    try {
      ObjectNode o;
      if (image) {
        o = picture(boundary != null ? formFile(body, boundary) : body, s, m);
      } else {
        o = Predictions.answer(s, m, Predictions.parse(body, m, options.maxBatch()));
      }
      out = bytes(o);
    } catch (BadRequest e) {
      error(response, callback, e.status(), e.getMessage());
      return;
    } catch (OutOfMemoryError e) {
      // a picture or batch too large for the heap: this request fails, the server goes on
      error(
          response,
          callback,
          413,
          "not enough memory for this request (Java may use "
              + dev.mlp.data.files.InputFiles.bytes(Runtime.getRuntime().maxMemory())
              + "); send a smaller picture or batch, or give the server more with"
              + " MLP_JAVA_OPTS=-Xmx...");
      return;
    } catch (RuntimeException e) {
      error(response, callback, 500, "the model failed: " + e);
      return;
    } finally {
      s.give(m);
    }
    response.getHeaders().put("X-Mlp-Checkpoint", s.sha256());
    send(response, callback, 200, "application/json", out);
  }

  /** The file of a multipart/form-data body: its first part with a file name, else its first. */
  private byte[] formFile(byte[] body, String boundary) throws BadRequest {
    MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
    parser.setMaxMemoryFileSize(options.maxBodyBytes()); // never spilled to disk
    parser.setMaxLength(options.maxBodyBytes());
    parser.setMaxParts(16);
    try (MultiPartFormData.Parts parts =
        parser.parse(new ByteBufferContentSource(ByteBuffer.wrap(body))).get()) {
      MultiPart.Part chosen = null;
      for (MultiPart.Part p : parts) {
        if (chosen == null || chosen.getFileName() == null && p.getFileName() != null) {
          chosen = p;
        }
      }
      if (chosen == null) {
        throw new BadRequest(400, "the form holds no part; send the picture as a file field");
      }
      ByteBuffer b = Content.Source.asByteBuffer(chosen.getContentSource());
      byte[] out = new byte[b.remaining()];
      b.get(out);
      return out;
    } catch (java.util.concurrent.ExecutionException | IOException e) {
      Throwable why = e.getCause() != null ? e.getCause() : e;
      throw new BadRequest(400, "the form cannot be read: " + why.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BadRequest(503, "the server is stopping");
    }
  }

  private ObjectNode picture(byte[] body, Served s, Model m) throws BadRequest {
    if (!s.takesPictures()) {
      throw new BadRequest(
          415, "this model reads " + m.inputSize() + " numbers, not a picture; send JSON inputs");
    }
    Path file = uploads.resolve("upload-" + uploadCount.incrementAndGet());
    try {
      Files.createDirectories(uploads); // a /tmp cleaner may have taken it
      Files.write(file, body);
      float[] x;
      ObjectNode o = Predictions.JSON.createObjectNode();
      try {
        x = m.prepare(MnistImages.read(file));
      } catch (BlankImageException e) {
        o.putArray("predictions").addObject().putNull("label").put("note", e.getMessage());
        return o;
      } catch (IOException e) {
        throw new BadRequest(
            400, String.valueOf(e.getMessage()).replace(file.toString(), "the uploaded picture"));
      } catch (IllegalArgumentException e) {
        throw new BadRequest(400, e.getMessage());
      }
      return Predictions.answer(s, m, new Predictions.Request(new float[][] {x}, 3, true));
    } catch (IOException e) {
      throw new BadRequest(500, "the upload could not be kept for reading: " + e.getMessage());
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // a temporary file left behind; the folder goes at exit
      }
    }
  }

  private static byte[] bytes(ObjectNode o) {
    try {
      return Predictions.JSON.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void error(Response response, Callback callback, int status, String message) {
    ObjectNode o = Predictions.JSON.createObjectNode();
    o.put("error", message);
    send(response, callback, status, "application/json", bytes(o));
  }

  private static void send(
      Response response, Callback callback, int status, String contentType, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /** Jetty's own refusals (a malformed request, a bad path, 414, 431, ...) as {"error": ...}. */
  private static final class JsonErrors extends org.eclipse.jetty.server.handler.ErrorHandler {
    @Override
    protected void generateResponse(
        Request request,
        Response response,
        int code,
        String message,
        Throwable cause,
        Callback callback) {
      String why =
          message != null && !message.isBlank()
              ? message
              : org.eclipse.jetty.http.HttpStatus.getMessage(code);
      error(response, callback, code, why);
    }

    @Override
    public ByteBuffer badMessageError(
        int status, String reason, org.eclipse.jetty.http.HttpFields.Mutable fields) {
      fields.put(HttpHeader.CONTENT_TYPE, "application/json");
      ObjectNode o = Predictions.JSON.createObjectNode();
      o.put(
          "error",
          reason != null && !reason.isBlank()
              ? reason
              : org.eclipse.jetty.http.HttpStatus.getMessage(status));
      return ByteBuffer.wrap(bytes(o));
    }
  }

  /** The page's files, read from the jar once. */
  static final class Page {
    record Resource(String contentType, byte[] bytes) {}

    static Map<String, Resource> resources() throws IOException {
      return Map.of(
          "/index.html", read("index.html", "text/html; charset=utf-8"),
          "/app.js", read("app.js", "text/javascript; charset=utf-8"),
          "/style.css", read("style.css", "text/css; charset=utf-8"));
    }

    private static Resource read(String name, String type) throws IOException {
      try (InputStream in = ModelServer.class.getResourceAsStream("page/" + name)) {
        if (in == null) {
          throw new IOException("the page's " + name + " is missing from the jar");
        }
        return new Resource(type, in.readAllBytes());
      }
    }

    static String text(Resource r) {
      return new String(r.bytes(), StandardCharsets.UTF_8);
    }
  }
}
