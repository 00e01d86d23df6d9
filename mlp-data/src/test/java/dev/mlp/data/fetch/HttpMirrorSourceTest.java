package dev.mlp.data.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.mlp.data.idx.IdxBytes;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One mirror on its own, against a server on 127.0.0.1: what each failure says, the overall
 * deadline on a body that arrives too slowly, and an interrupted download.
 */
class HttpMirrorSourceTest {
  @TempDir Path cache;
  private HttpServer server;
  private final List<String> log = new ArrayList<>();

  private static final byte[] IMAGES = IdxBytes.images(5, 4, 4, 1);
  private static final DataFile IMAGES_FILE = FetcherTest.IMAGES_FILE;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] gz = IdxBytes.gzip(IMAGES);
    body("/good/", gz);
    body("/empty/", new byte[0]);
    body("/cut/", Arrays.copyOf(gz, gz.length - 12));
    server.createContext(
        "/drip/",
        ex -> {
          // the gzip header and a little, then a pause longer than the whole transfer may take
          ex.sendResponseHeaders(200, gz.length);
          OutputStream out = ex.getResponseBody();
          out.write(gz, 0, 20);
          out.flush();
          sleep(1500);
          out.write(gz, 20, 20);
          out.flush();
          sleep(200);
          out.write(gz, 40, gz.length - 40);
          ex.close();
        });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  private void body(String prefix, byte[] body) {
    server.createContext(
        prefix,
        ex -> {
          ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
          if (body.length > 0) {
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

  private void fetch(String prefix, Duration deadline) throws IOException {
    new HttpMirrorSource(url(prefix), Duration.ofSeconds(5), deadline)
        .fetch(List.of(IMAGES_FILE), new FileStore(cache), log::add);
  }

  @Test
  void aDownloadIsLoggedWithTheAddressItCameFrom() throws IOException {
    HttpMirrorSource mirror = new HttpMirrorSource(url("/good")); // the slash is added
    assertThat(mirror.describe()).isEqualTo("mirror " + url("/good/"));
    mirror.fetch(List.of(IMAGES_FILE), new FileStore(cache), log::add);
    assertThat(log)
        .containsExactly(
            "  img-idx3-ubyte: downloaded and verified from " + url("/good/img-idx3-ubyte.gz"));
    assertThat(new FileStore(cache).isValid(IMAGES_FILE)).isTrue();
  }

  @Test
  void aBodyThatIsNotGzipSaysWhatTheDecompressorFound() {
    String uri = url("/empty/img-idx3-ubyte.gz");
    assertThatThrownBy(() -> fetch("/empty/", Duration.ofSeconds(20)))
        .isInstanceOf(IOException.class)
        .hasMessage(uri + ": not a complete gzip file (EOFException)");
    uri = url("/cut/img-idx3-ubyte.gz");
    assertThatThrownBy(() -> fetch("/cut/", Duration.ofSeconds(20)))
        .hasMessage(uri + ": not a complete gzip file (Unexpected end of ZLIB input stream)");
  }

  @Test
  void aBodyStillArrivingAtTheDeadlineIsAbandoned() {
    assertThatThrownBy(() -> fetch("/drip/", Duration.ofSeconds(1)))
        .isInstanceOf(IOException.class)
        .hasMessage(url("/drip/img-idx3-ubyte.gz") + ": transfer took longer than 1 s");
    assertThat(new FileStore(cache).path(IMAGES_FILE)).doesNotExist();
  }

  @Test
  void anInterruptedDownloadStopsAndKeepsTheInterrupt() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> fetch("/good/", Duration.ofSeconds(20)))
          .isInstanceOf(InterruptedIOException.class)
          .hasMessage(url("/good/img-idx3-ubyte.gz") + ": interrupted");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
