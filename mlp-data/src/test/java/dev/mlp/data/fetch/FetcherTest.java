package dev.mlp.data.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.mlp.data.idx.IdxBytes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fetch logic against a real HTTP server on 127.0.0.1 serving small generated files. */
class FetcherTest {
  @TempDir Path cache;
  private HttpServer server;
  private final List<String> log = new ArrayList<>();

  private static final byte[] IMAGES = IdxBytes.images(5, 4, 4, 1);
  private static final byte[] LABELS = IdxBytes.labels(0, 1, 2, 3, 4);
  static final DataFile IMAGES_FILE = new DataFile("img-idx3-ubyte", sha(IMAGES), IMAGES.length);
  static final DataFile LABELS_FILE = new DataFile("lab-idx1-ubyte", sha(LABELS), LABELS.length);
  static final List<DataFile> FILES = List.of(IMAGES_FILE, LABELS_FILE);

  static String sha(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    serve("/good/", IMAGES, LABELS);
    byte[] wrong = IMAGES.clone();
    wrong[20] ^= 1;
    serve("/wrong/", wrong, LABELS);
    serve("/short/", java.util.Arrays.copyOf(IMAGES, IMAGES.length - 3), LABELS);
    server.createContext(
        "/slow/",
        ex -> {
          sleep(3000);
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    server.createContext(
        "/forever/",
        ex -> {
          ex.sendResponseHeaders(200, 0);
          try (OutputStream out = new GZIPOutputStream(ex.getResponseBody())) {
            byte[] zeros = new byte[1 << 16];
            for (int i = 0; i < 100_000; i++) { // 6.5 GB uncompressed if nobody stopped reading
              out.write(zeros);
            }
          } catch (IOException e) {
            // the client hung up, as it should
          }
        });
    server.createContext(
        "/notgzip/",
        ex -> {
          byte[] body = "<html>moved</html>".getBytes();
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  private void serve(String prefix, byte[] images, byte[] labels) {
    server.createContext(
        prefix,
        ex -> {
          String path = ex.getRequestURI().getPath();
          byte[] body = null;
          if (path.endsWith(IMAGES_FILE.name() + ".gz")) {
            body = IdxBytes.gzip(images);
          } else if (path.endsWith(LABELS_FILE.name() + ".gz")) {
            body = IdxBytes.gzip(labels);
          }
          if (body == null) {
            ex.sendResponseHeaders(404, -1);
          } else {
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
          }
          ex.close();
        });
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url(String prefix) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + prefix;
  }

  private Fetcher fetcher(Source... sources) {
    return new Fetcher("tiny", FILES, new FileStore(cache), List.of(sources));
  }

  private static Source mirror(String url) {
    return new HttpMirrorSource(url, Duration.ofSeconds(1), Duration.ofSeconds(20));
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void downloadsVerifiesAndCachesFromAMirror() throws IOException {
    Path dir = fetcher(mirror(url("/good/"))).ensure(log::add);
    assertThat(Files.readAllBytes(dir.resolve(IMAGES_FILE.name()))).isEqualTo(IMAGES);
    assertThat(Files.readAllBytes(dir.resolve(LABELS_FILE.name()))).isEqualTo(LABELS);
    assertThat(log).anyMatch(l -> l.contains("all files verified"));
    // a second run uses the cache and touches no source
    log.clear();
    fetcher(mirror("http://127.0.0.1:" + closedPort() + "/")).ensure(log::add);
    assertThat(log).isEmpty();
  }

  @Test
  void laterSourcesAreTriedWhenEarlierOnesFailWithOneLineEach() throws IOException {
    int port = closedPort();
    fetcher(
            mirror("http://127.0.0.1:" + port + "/"),
            mirror(url("/missing/")),
            mirror(url("/wrong/")),
            mirror(url("/good/")))
        .ensure(log::add);
    assertThat(log)
        .anyMatch(l -> l.contains("127.0.0.1:" + port) && l.contains("connection refused"))
        .anyMatch(l -> l.contains("/missing/") && l.contains("HTTP 404"))
        .anyMatch(
            l ->
                l.contains("/wrong/")
                    && l.contains("has SHA-256")
                    && l.contains("expected " + IMAGES_FILE.sha256()));
    assertThat(new FileStore(cache).isValid(IMAGES_FILE)).isTrue();
  }

  @Test
  void shortBodyTimeoutEndlessBodyAndNonGzipAreEachRejectedAndNothingIsCached() throws IOException {
    assertThatThrownBy(
            () ->
                fetcher(
                        mirror(url("/short/")),
                        mirror(url("/slow/")),
                        mirror(url("/forever/")),
                        mirror(url("/notgzip/")))
                    .ensure(log::add))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("tiny: could not get img-idx3-ubyte, lab-idx1-ubyte")
        .hasMessageContaining("Place the files (raw or .gz) in " + cache);
    assertThat(log)
        .anyMatch(l -> l.contains("/short/") && l.contains("has 93 bytes; expected 96"))
        .anyMatch(l -> l.contains("/slow/") && l.contains("no response within 1 s"))
        .anyMatch(l -> l.contains("/forever/") && l.contains("more than 96"))
        .anyMatch(l -> l.contains("/notgzip/") && l.contains("not a complete gzip file"));
    try (Stream<Path> files = Files.list(cache)) {
      assertThat(files).as("no partial file is left behind").isEmpty();
    }
  }

  @Test
  void aCorruptCachedFileIsDetectedAndFetchedAgain() throws IOException {
    fetcher(mirror(url("/good/"))).ensure(log::add);
    Path cached = cache.resolve(IMAGES_FILE.name());
    byte[] corrupt = Files.readAllBytes(cached);
    corrupt[30] ^= 0x40;
    Files.write(cached, corrupt);
    log.clear();
    fetcher(mirror(url("/good/"))).ensure(log::add);
    assertThat(log).first().asString().contains("does not match its SHA-256");
    assertThat(Files.readAllBytes(cached)).isEqualTo(IMAGES);
  }

  @Test
  void gzipFilesPlacedInTheCacheByHandAreUsed() throws IOException {
    Files.write(cache.resolve(IMAGES_FILE.name() + ".gz"), IdxBytes.gzip(IMAGES));
    Files.write(cache.resolve(LABELS_FILE.name() + ".gz"), IdxBytes.gzip(LABELS));
    fetcher().ensure(log::add);
    assertThat(Files.readAllBytes(cache.resolve(IMAGES_FILE.name()))).isEqualTo(IMAGES);
  }

  @Test
  void withEverySourceFailingTheErrorListsWhatWasTried() throws IOException {
    int port = closedPort();
    assertThatThrownBy(
            () -> fetcher(mirror("http://127.0.0.1:" + port + "/data/")).ensure(log::add))
        .hasMessage(
            "tiny: could not get img-idx3-ubyte, lab-idx1-ubyte; tried mirror http://127.0.0.1:"
                + port
                + "/data/: http://127.0.0.1:"
                + port
                + "/data/img-idx3-ubyte.gz: connection refused or unreachable. Place the files"
                + " (raw or .gz) in "
                + cache
                + " by hand and run again");
  }

  @Test
  void withEveryFileCachedTheCacheFolderIsReturnedAndNoSourceIsAsked() throws IOException {
    fetcher(mirror(url("/good/"))).ensure(log::add);
    log.clear();
    Source refusing =
        new Source() {
          @Override
          public String describe() {
            return "a source that must not be asked";
          }

          @Override
          public void fetch(
              List<DataFile> missing, FileStore store, java.util.function.Consumer<String> l) {
            throw new AssertionError("asked for " + missing);
          }
        };
    assertThat(fetcher(refusing).ensure(log::add)).isEqualTo(cache);
    assertThat(log).isEmpty();
  }

  @Test
  void aBrokenGzipPlacedInTheCacheIsIgnoredSaidSoAndTheFileFetched() throws IOException {
    Path gz = cache.resolve(IMAGES_FILE.name() + ".gz");
    Files.write(gz, java.util.Arrays.copyOf(IdxBytes.gzip(IMAGES), 30));
    Files.write(cache.resolve(LABELS_FILE.name() + ".gz"), IdxBytes.gzip(LABELS));
    Path dir = fetcher(mirror(url("/good/"))).ensure(log::add);
    assertThat(dir).isEqualTo(cache);
    assertThat(log.get(0))
        .isEqualTo("tiny: ignoring " + gz + ": Unexpected end of ZLIB input stream");
    assertThat(log.get(1)).isEqualTo("tiny: fetching img-idx3-ubyte from mirror " + url("/good/"));
    assertThat(Files.readAllBytes(cache.resolve(IMAGES_FILE.name()))).isEqualTo(IMAGES);
  }

  @Test
  void aSourceThatFailsWithoutAMessageIsNamedByItsException() throws IOException {
    Source broken =
        new Source() {
          @Override
          public String describe() {
            return "broken";
          }

          @Override
          public void fetch(
              List<DataFile> missing, FileStore store, java.util.function.Consumer<String> l) {
            throw new IllegalStateException();
          }
        };
    assertThatThrownBy(() -> fetcher(broken).ensure(log::add))
        .hasMessageStartingWith(
            "tiny: could not get img-idx3-ubyte, lab-idx1-ubyte; tried broken: IllegalStateException.");
    assertThat(log).contains("tiny: broken failed: IllegalStateException");
    assertThatThrownBy(() -> fetcher().ensure(log::add))
        .hasMessageContaining("; tried no source. Place the files");
  }
}
