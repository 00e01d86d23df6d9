package dev.mlp.data.fetch;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * A web folder holding {@code <name>.gz} for each file. Every transfer is bounded: a connect
 * timeout, a timeout for the response to start, an overall deadline, and at most the expected
 * uncompressed size is inflated.
 */
public final class HttpMirrorSource implements Source {
  private final URI base;
  private HttpClient client; // built at the first download: 0.27 s a run whose data is cached
  private final Duration timeout;
  private final Duration deadline;

  public HttpMirrorSource(String baseUrl, Duration timeout, Duration deadline) {
    this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    this.timeout = timeout;
    this.deadline = deadline;
  }

  private synchronized HttpClient client() {
    if (client == null) {
      client =
          HttpClient.newBuilder()
              .connectTimeout(timeout)
              .followRedirects(HttpClient.Redirect.NORMAL)
              .build();
    }
    return client;
  }

  public HttpMirrorSource(String baseUrl) {
    this(baseUrl, Duration.ofSeconds(15), Duration.ofMinutes(10));
  }

  @Override
  public String describe() {
    return "mirror " + base;
  }

  @Override
  public void fetch(List<DataFile> missing, FileStore store, Consumer<String> log)
      throws IOException {
    for (DataFile file : missing) {
      URI uri = base.resolve(file.name() + ".gz");
      HttpRequest request =
          HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", "mlp").GET().build();
      HttpResponse<InputStream> response;
      try {
        response = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
      } catch (HttpConnectTimeoutException e) {
        throw new IOException(uri + ": connection timed out after " + timeout.toSeconds() + " s");
      } catch (HttpTimeoutException e) {
        throw new IOException(uri + ": no response within " + timeout.toSeconds() + " s");
      } catch (ConnectException e) {
        throw new IOException(uri + ": connection refused or unreachable");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException(uri + ": interrupted");
      } catch (IOException e) {
        throw new IOException(uri + ": " + describe(e), e);
      }
      try (InputStream body = new DeadlineInputStream(response.body(), deadline, uri)) {
        if (response.statusCode() != 200) {
          throw new IOException(uri + ": HTTP " + response.statusCode());
        }
        try (InputStream in = new GZIPInputStream(body, 1 << 16)) {
          store.store(file, in, uri.toString(), log);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
          throw new IOException(uri + ": not a complete gzip file (" + describe(e) + ")");
        }
      }
      log.accept("  " + file.name() + ": downloaded and verified from " + uri);
    }
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /** Fails a read once the overall deadline has passed, so a server that drips forever ends. */
  private static final class DeadlineInputStream extends FilterInputStream {
    private final long deadlineNanos;
    private final Duration deadline;
    private final URI uri;

    DeadlineInputStream(InputStream in, Duration deadline, URI uri) {
      super(in);
      this.deadline = deadline;
      this.deadlineNanos = System.nanoTime() + deadline.toNanos();
      this.uri = uri;
    }

    private void check() throws IOException {
      if (System.nanoTime() > deadlineNanos) {
        throw new IOException(uri + ": transfer took longer than " + deadline.toSeconds() + " s");
      }
    }

    @Override
    public int read() throws IOException {
      check();
      return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      check();
      return super.read(b, off, len);
    }
  }
}
