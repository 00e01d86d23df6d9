package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlp.data.idx.IdxReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlp serve} as a real process, over loopback HTTP: answers, refusals, draining, reload. */
class ServeIT {
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A new client for every test: a keep-alive connection pooled by an earlier test, which the
   * server may be closing as the next test reuses it, failed a CI run twice ("header parser
   * received no bytes" on a test's first request).
   */
  static volatile HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeEach
  void freshClient() {
    HTTP = HttpClient.newHttpClient();
  }

  @TempDir static Path work;
  static Path checkpoint;
  static Served served;

  /** A running {@code mlp serve} and where it listens. */
  record Served(Process process, int port, Path out, Path err) {
    URI uri(String path) {
      return URI.create("http://127.0.0.1:" + port + path);
    }

    String errText() throws IOException {
      return Files.readString(err);
    }

    /** SIGTERM to the launcher (which passes it on), then its exit code (bounded wait). */
    int terminate() throws Exception {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new AssertionError("mlp serve did not stop within 60 s of SIGTERM");
      }
      return process.exitValue();
    }
  }

  /** Starts {@code mlp serve --port 0 args} and waits (up to 120 s) for its "serving" line. */
  static Served serve(String... args) throws Exception {
    return serveIn(work, args);
  }

  /** {@link #serve} with its output files in {@code dir}. */
  static Served serveIn(Path dir, String... args) throws Exception {
    Path out = Files.createTempFile(dir, "serve", ".out");
    Path err = Files.createTempFile(dir, "serve", ".err");
    List<String> all = new ArrayList<>(List.of("serve", "--port", "0"));
    all.addAll(List.of(args));
    Process p = MlpProcess.start(out, err, all.toArray(String[]::new));
    Pattern line = Pattern.compile("at http://127\\.0\\.0\\.1:([0-9]+)/ with");
    for (int i = 0; i < 1200; i++) {
      Matcher m = line.matcher(Files.readString(out));
      if (m.find()) {
        return new Served(p, Integer.parseInt(m.group(1)), out, err);
      }
      if (!p.isAlive()) {
        throw new AssertionError(
            "mlp serve exited " + p.exitValue() + ": " + Files.readString(err));
      }
      Thread.sleep(100);
    }
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    throw new AssertionError(
        "mlp serve printed no 'serving' line in 120 s: " + Files.readString(err));
  }

  @BeforeAll
  static void trainAndServe() throws Exception {
    MlpProcess.Result r = MlpProcess.trainSeed(2, "--out", work.resolve("run").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    checkpoint = work.resolve("run/checkpoints/last.safetensors");
    // a long idle timeout: a pooled keep-alive connection that the server closes just as HTTP
    // reuses it fails with "header parser received no bytes" (a CI run hit it when a test began
    // about 2 s after the last one's request); the stalled-client test has a server of its own
    served = serve("--checkpoint", checkpoint.toString(), "--idle-timeout", "600");
  }

  @AfterAll
  static void stop() throws Exception {
    if (served != null) {
      assertThat(served.terminate()).isZero();
    }
  }

  static HttpResponse<String> post(URI uri, String contentType, byte[] body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(URI uri) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The first {@code n} MNIST test images as the model's inputs, pixel / 255. */
  static float[][] testImages(int n) throws IOException {
    byte[] px = IdxReader.read(MlpProcess.mnistFile("t10k-images-idx3-ubyte")).data();
    float[][] rows = new float[n][784];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 784; j++) {
        rows[i][j] = (px[i * 784 + j] & 0xFF) / 255f;
      }
    }
    return rows;
  }

  static byte[] inputsJson(float[][] rows) throws IOException {
    return JSON.writeValueAsBytes(Map.of("inputs", rows));
  }

  @Test
  void jsonInputsAndPicturesGetTheAnswersMlpPredictGives() throws Exception {
    int n = 200;
    HttpResponse<String> r =
        post(served.uri("/v1/predict"), "application/json", inputsJson(testImages(n)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-Mlp-Checkpoint")).hasValue(FileStoreSha.of(checkpoint));
    JsonNode predictions = JSON.readTree(r.body()).get("predictions");
    assertThat(predictions).hasSize(n);
    MlpProcess.Result p =
        MlpProcess.run(
            "predict",
            "--checkpoint",
            checkpoint.toString(),
            "--json",
            "--limit",
            String.valueOf(n),
            MlpProcess.mnistFile("t10k-images-idx3-ubyte").toString());
    assertThat(p.exit()).as(p.err()).isZero();
    List<JsonNode> expected = p.jsonLines();
    for (int i = 0; i < n; i++) {
      JsonNode got = predictions.get(i);
      JsonNode want = expected.get(i);
      assertThat(got.get("class").asInt()).as("image %d", i).isEqualTo(want.get("label").asInt());
      assertThat(got.get("top")).hasSize(3);
      for (int k = 0; k < 3; k++) {
        assertThat(got.get("top").get(k).get("class").asInt())
            .isEqualTo(want.get("top").get(k).get("label").asInt());
        assertThat(got.get("top").get(k).get("probability").floatValue())
            .isEqualTo(want.get("top").get(k).get("probability").floatValue());
      }
    }
    // a picture, as mlp predict reads a file: the same PNG, the same answer
    Path png = work.resolve("digit.png");
    java.awt.image.BufferedImage img =
        new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    float[] first = testImages(1)[0];
    for (int j = 0; j < 784; j++) {
      img.getRaster().setSample(j % 28, j / 28, 0, Math.round(first[j] * 255));
    }
    ImageIO.write(img, "png", png.toFile());
    HttpResponse<String> pic =
        post(served.uri("/v1/predict"), "image/png", Files.readAllBytes(png));
    assertThat(pic.statusCode()).as(pic.body()).isEqualTo(200);
    MlpProcess.Result pp =
        MlpProcess.run("predict", "--checkpoint", checkpoint.toString(), "--json", png.toString());
    JsonNode want = pp.jsonLines().get(0);
    JsonNode got = JSON.readTree(pic.body()).get("predictions").get(0);
    assertThat(got.get("label").asText()).isEqualTo("7").isEqualTo(want.get("label").asText());
    assertThat(got.get("probability").floatValue())
        .isEqualTo(want.get("top").get(0).get("probability").floatValue());
    assertThat(got.get("probabilities")).hasSize(10);
    // the same picture as a form's file field (curl -F file=@digit.png, an HTML form)
    String boundary = "mlp-test-boundary-7";
    ByteArrayOutputStream form = new ByteArrayOutputStream();
    form.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"digit.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    form.write(Files.readAllBytes(png));
    form.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    HttpResponse<String> field =
        post(
            served.uri("/v1/predict"),
            "multipart/form-data; boundary=" + boundary,
            form.toByteArray());
    assertThat(field.statusCode()).as(field.body()).isEqualTo(200);
    assertThat(JSON.readTree(field.body()).get("predictions").get(0)).isEqualTo(got);
    // a JPEG (lossy: its own pixels, so compared with what mlp predict makes of the same file)
    Path jpg = work.resolve("digit.jpg");
    java.awt.image.BufferedImage rgb =
        new java.awt.image.BufferedImage(280, 280, java.awt.image.BufferedImage.TYPE_INT_RGB);
    rgb.createGraphics().drawImage(img, 0, 0, 280, 280, null);
    assertThat(ImageIO.write(rgb, "jpeg", jpg.toFile())).isTrue();
    HttpResponse<String> jpeg =
        post(served.uri("/v1/predict"), "image/jpeg", Files.readAllBytes(jpg));
    assertThat(jpeg.statusCode()).as(jpeg.body()).isEqualTo(200);
    JsonNode wantJpeg =
        MlpProcess.run("predict", "--checkpoint", checkpoint.toString(), "--json", jpg.toString())
            .jsonLines()
            .get(0);
    JsonNode gotJpeg = JSON.readTree(jpeg.body()).get("predictions").get(0);
    assertThat(gotJpeg.get("label").asText())
        .isEqualTo("7")
        .isEqualTo(wantJpeg.get("label").asText());
    assertThat(gotJpeg.get("probability").floatValue())
        .isEqualTo(wantJpeg.get("top").get(0).get("probability").floatValue());
  }

  @Test
  void theModelAndHealthEndpointsDescribeWhatIsServed() throws Exception {
    JsonNode m = JSON.readTree(get(served.uri("/v1/model")).body());
    assertThat(m.get("name").asText()).isEqualTo("mnist-2layer");
    assertThat(m.get("task").asText()).isEqualTo("classification");
    assertThat(m.get("output").asText()).isEqualTo("probabilities");
    assertThat(m.get("input").get("kind").asText()).isEqualTo("image");
    assertThat(m.get("input").get("features").asInt()).isEqualTo(784);
    assertThat(m.get("classes")).hasSize(10);
    assertThat(m.get("checkpoint").get("sha256").asText()).isEqualTo(FileStoreSha.of(checkpoint));
    assertThat(m.get("checkpoint").get("epoch").asInt()).isEqualTo(2);
    assertThat(m.get("config").asText()).contains("name: mnist-2layer");
    assertThat(m.get("limits").get("max_batch").asInt()).isEqualTo(1024);
    HttpResponse<String> h = get(served.uri("/health"));
    assertThat(h.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(h.body()).get("status").asText()).isEqualTo("ok");
    HttpResponse<String> page = get(served.uri("/"));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(page.body())
        .contains("<canvas id=\"canvas\"", "/app.js")
        .doesNotContain("http://", "https://");
    assertThat(get(served.uri("/app.js")).body())
        .contains("/v1/predict")
        .doesNotContain("http://", "https://");
  }

  @Test
  void badRequestsGetA4xxWithAJsonErrorAndTheServerKeepsServing() throws Exception {
    URI predict = served.uri("/v1/predict");
    String zeros = JSON.writeValueAsString(new float[784]);
    Object[][] cases = {
      {"application/json", "{\"inputs\": [[1, 2", 400, "the body is not valid JSON"},
      {"application/json", "[1, 2, 3]", 400, "expected a JSON object"},
      {
        "application/json",
        "{\"inputs\": [[1, 2, 3]]}",
        400,
        "inputs[0] has 3 numbers; the model reads 784"
      },
      {"application/json", "{\"inputs\": []}", 400, "inputs is empty"},
      {"application/json", "{\"inputs\": [" + zeros + "], \"rows\": [{}]}", 400, "either inputs"},
      {
        "application/json",
        "{\"rows\": [{\"a\": 1}]}",
        400,
        "rows by column name are for table models"
      },
      {"application/json", "{\"input\": [[0]]}", 400, "unknown field 'input'"},
      {
        "application/json",
        "{\"inputs\": [[\"x\"]]}",
        400,
        "inputs[0][0] is x; expected a finite number"
      },
      {"application/json", "{\"top\": 0, \"inputs\": [[0]]}", 400, "top must be"},
      {
        "application/json",
        "{\"inputs\": [[1e999]]}",
        400,
        "inputs[0][0] is 1e999; expected a finite"
      },
      {"application/json", "{\"inputs\": [" + zeros + "]} {}", 400, "not one JSON object"},
      {"image/png", "this is not a picture", 400, "the uploaded picture: not an image"},
      {"text/plain", "hello", 415, "Content-Type text/plain is not read here"},
      {"multipart/form-data", "--x\r\n", 400, "needs a boundary"},
      {";", "{}", 415, "Content-Type  is not read here"},
      {"multipart/form-data; boundary=\"", "x", 400, "boundary cannot be read"},
      {"multipart/form-data; boundary=x", "no parts here", 400, "the form cannot be read"},
    };
    for (Object[] c : cases) {
      HttpResponse<String> r =
          post(predict, (String) c[0], ((String) c[1]).getBytes(StandardCharsets.UTF_8));
      assertThat(r.statusCode()).as((String) c[1]).isEqualTo((int) c[2]);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(JSON.readTree(r.body()).get("error").asText())
          .as((String) c[1])
          .contains((String) c[3]);
    }
    float[][] many = new float[1025][784];
    HttpResponse<String> batch = post(predict, "application/json", inputsJson(many));
    assertThat(batch.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(batch.body()).get("error").asText())
        .isEqualTo("inputs holds 1025 rows; at most 1024 a request");
    // a 50 MB body, announced: refused from its headers, before it is read
    String big =
        rawExchange(
            "POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 52428800\r\n\r\n{\"inputs\": [",
            null);
    assertThat(big)
        .startsWith("HTTP/1.1 413")
        .contains(
            "\"error\":\"the body is 52428800 bytes; at most 16777216 bytes a request (mlp serve --max-body)\"");
    // and not announced (chunked): refused once past the limit
    byte[] chunk = new byte[1 << 20];
    java.util.Arrays.fill(chunk, (byte) ' ');
    String chunked =
        rawExchange(
            "POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n",
            out -> {
              for (int i = 0; i < 50; i++) {
                out.write(("100000\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
              }
            });
    assertThat(chunked).startsWith("HTTP/1.1 413").contains("the body is too large");
    assertThat(get(served.uri("/v1/predict")).statusCode()).isEqualTo(405);
    assertThat(get(served.uri("/v1/predict")).headers().firstValue("Allow")).hasValue("POST");
    // Jetty's own refusals are JSON too
    HttpResponse<String> bytes = get(served.uri("/%ff"));
    assertThat(bytes.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bytes.body()).get("error").asText()).isNotBlank();
    HttpResponse<Void> head =
        HTTP.send(
            HttpRequest.newBuilder(served.uri("/health"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());
    assertThat(head.statusCode()).isEqualTo(200);
    // a picture within the pixel limit but too big for the server's memory: this request fails,
    // the worker it took is given back, and every later request is answered
    HttpResponse<String> huge = post(predict, "image/png", hugePng());
    assertThat(huge.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(huge.body()).get("error").asText())
        .startsWith("not enough memory for this request");
    for (int i = 0; i < 4; i++) {
      assertThat(post(predict, "application/json", inputsJson(testImages(1))).statusCode())
          .isEqualTo(200);
    }
    // a request is counted out just after its response's last bytes are handed to the client, so
    // /health may still see the last one for a moment; a request whose failure kept its count
    // would stay in flight for good
    int inFlight = -1;
    for (int i = 0; i < 500 && inFlight != 0; i++) {
      inFlight = JSON.readTree(get(served.uri("/health")).body()).get("in_flight").asInt();
      Thread.sleep(inFlight != 0 ? 10 : 0);
    }
    assertThat(inFlight).as("requests in flight, by /health").isZero();
    HttpResponse<String> none = get(served.uri("/admin"));
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(none.body()).isEqualTo("{\"error\":\"no such path: /admin\"}");
    // still serving
    HttpResponse<String> ok = post(predict, "application/json", inputsJson(testImages(1)));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(ok.body()).get("predictions").get(0).get("label").asText())
        .isEqualTo("7");
  }

  @Test
  void anAnswerGivenBeforeTheBodyArrivedSaysTheConnectionCloses() throws Exception {
    // answers decided from the headers alone (415, 404, 405, a Content-Length over --max-body, a
    // GET's): when one goes out before the body has arrived, the server may close the connection,
    // but only if the answer says so; a pooling client otherwise sends its next request into a
    // closed socket. With the body sent along with the headers, the connection must go on serving
    // whenever the answer does not announce a close.
    String[] heads = {
      "POST /v1/predict HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n",
      "POST /admin HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 5\r\n",
      "POST /v1/model HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 5\r\n",
      "GET /health HTTP/1.1\r\nContent-Length: 5\r\n",
      "POST /v1/predict HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 5\r\n"
          + "X-Declared: over the limit\r\n",
    };
    for (boolean together : new boolean[] {false, true}) {
      for (String head : heads) {
        boolean over = head.contains("X-Declared");
        String declared =
            over ? head.replace("Content-Length: 5", "Content-Length: 999999999") : head;
        if (over && together) {
          continue; // a 413 from its Content-Length: the body never comes whole
        }
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", served.port()), 10_000);
          s.setSoTimeout(30_000);
          OutputStream out = s.getOutputStream();
          out.write(
              (declared + "Host: 127.0.0.1\r\n\r\n" + (together ? "hello" : ""))
                  .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          String answer = readAll(s.getInputStream());
          assertThat(answer).as(declared).matches("(?s)HTTP/1.1 [24][0-9][0-9] .*");
          if (Pattern.compile("(?im)^connection: *close").matcher(answer).find()) {
            assertThat(together && !over)
                .as("%s with its body: closes without need%n%s", declared.strip(), answer)
                .isFalse();
            continue; // announced: a client opens a new connection for its next request
          }
          // not announced: the connection must still serve, once the body has come
          String next = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
          String second;
          try {
            out.write(((together ? "" : "hello") + next).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            second = readAll(s.getInputStream());
          } catch (IOException e) {
            second = e.toString();
          }
          assertThat(second)
              .as("after %s answered without Connection: close:%n%s", declared.strip(), answer)
              .startsWith("HTTP/1.1 200");
        }
      }
    }
  }

  /** A 8192×8192 RGBA PNG of zeros: 260 KB, about a gigabyte once decoded. */
  static byte[] hugePng() throws IOException {
    int side = 8192;
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    try (var z = new java.util.zip.DeflaterOutputStream(raw, new java.util.zip.Deflater(9))) {
      byte[] row = new byte[1 + side * 4];
      for (int y = 0; y < side; y++) {
        z.write(row);
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(side).putInt(side);
    ihdr.put((byte) 8).put((byte) 6).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(png, "IHDR", ihdr.array());
    chunk(png, "IDAT", raw.toByteArray());
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data)
      throws IOException {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    crc.update(t);
    crc.update(data);
    out.write(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
    out.write(t);
    out.write(data);
    out.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  interface Body {
    void write(OutputStream out) throws IOException;
  }

  /** Sends {@code head} (and {@code body}, tolerating the server closing early) on a raw socket. */
  static String rawExchange(String head, Body body) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", served.port()), 10_000);
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.UTF_8));
      out.flush();
      if (body != null) {
        try {
          body.write(out);
          out.flush();
        } catch (IOException e) {
          // the server refused and closed while we were still sending: read its answer
        }
      }
      return readAll(s.getInputStream());
    }
  }

  static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      for (int r; (r = in.read(buf)) > 0; ) {
        got.write(buf, 0, r);
        String text = got.toString(StandardCharsets.UTF_8);
        int at = text.indexOf("\r\n\r\n");
        Matcher m = Pattern.compile("(?i)content-length: ([0-9]+)").matcher(text);
        if (at > 0 && m.find() && got.size() >= at + 4 + Integer.parseInt(m.group(1))) {
          break; // one whole response
        }
      }
    } catch (java.net.SocketException e) {
      // reset after the answer: what arrived is the answer
    }
    return got.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aClientThatStallsIsCutOffWhileOthersAreServed() throws Exception {
    Served impatient = serve("--checkpoint", checkpoint.toString(), "--idle-timeout", "2");
    try (Socket slow = new Socket()) {
      slow.connect(new InetSocketAddress("127.0.0.1", impatient.port()), 10_000);
      slow.setSoTimeout(60_000);
      slow.getOutputStream()
          .write(
              ("POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      + "Content-Length: 100\r\n\r\n{\"inputs\"")
                  .getBytes(StandardCharsets.US_ASCII));
      slow.getOutputStream().flush();
      // meanwhile, others are answered
      for (int i = 0; i < 20; i++) {
        assertThat(
                post(impatient.uri("/v1/predict"), "application/json", inputsJson(testImages(1)))
                    .statusCode())
            .isEqualTo(200);
      }
      // the stalled one is answered 408 once --idle-timeout (2 s here) passes, and closed
      String answer = readAll(slow.getInputStream());
      assertThat(answer)
          .startsWith("HTTP/1.1 408")
          .contains("the request body did not arrive in time");
      assertThat(slow.getInputStream().read()).isEqualTo(-1);
    } finally {
      assertThat(impatient.terminate()).isZero();
    }
  }

  @Test
  void itListensOnLoopbackOnlyUnlessToldOtherwise() throws Exception {
    assertThat(Files.readString(served.out())).contains("at http://127.0.0.1:");
    InetAddress other = null;
    for (NetworkInterface nif :
        java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress a : java.util.Collections.list(nif.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
          other = a;
        }
      }
    }
    if (other != null) {
      InetAddress address = other;
      try (Socket s = new Socket()) {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> s.connect(new InetSocketAddress(address, served.port()), 5_000))
            .isInstanceOf(ConnectException.class);
      }
    }
  }

  @Test
  void sigtermLetsTheRequestInFlightFinishRefusesNewOnesAndExitsZero() throws Exception {
    Served s = serve("--checkpoint", checkpoint.toString());
    byte[] body = inputsJson(testImages(64));
    int first = body.length * 3 / 4;
    try (Socket c = new Socket()) {
      c.connect(new InetSocketAddress("127.0.0.1", s.port()), 10_000);
      c.setSoTimeout(60_000);
      OutputStream out = c.getOutputStream();
      out.write(
          ("POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, first);
      out.flush();
      // once the server counts the request in flight (its headers are in), SIGTERM
      int inFlight = 0;
      for (int i = 0; i < 600 && inFlight < 1; i++) {
        inFlight = JSON.readTree(get(s.uri("/health")).body()).get("in_flight").asInt();
        Thread.sleep(inFlight < 1 ? 50 : 0);
      }
      assertThat(inFlight).as("requests in flight, by /health").isEqualTo(1);
      s.process().destroy();
      // the server stops listening, then still takes the rest of the body and answers
      boolean refused = false;
      for (int i = 0; i < 600 && !refused; i++) {
        try (Socket probe = new Socket()) {
          probe.connect(new InetSocketAddress("127.0.0.1", s.port()), 1_000);
          Thread.sleep(50);
        } catch (ConnectException e) {
          refused = true;
        }
      }
      assertThat(refused).as("new connections refused after SIGTERM").isTrue();
      // the rest of its body comes 2 s later (Jetty alone would have closed it after 1 s)
      Thread.sleep(2000);
      out.write(body, first, body.length - first);
      out.flush();
      String answer = readAll(c.getInputStream());
      assertThat(answer).startsWith("HTTP/1.1 200").contains("\"label\":\"7\"");
    }
    assertThat(s.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(s.process().exitValue()).isZero();
    assertThat(s.errText()).contains("stopped: requests in flight finished");
  }

  @Test
  void withReloadANewCheckpointIsServedWithoutDroppingARequest() throws Exception {
    Path run = work.resolve("run-reload");
    MlpProcess.Result t = MlpProcess.trainSeed(1, "--out", run.toString());
    assertThat(t.exit()).as(t.err()).isZero();
    Path last = run.resolve("checkpoints/last.safetensors");
    String before = FileStoreSha.of(last);
    Served s = serve("--checkpoint", last.toString(), "--reload");
    try {
      Process training =
          MlpProcess.start(
              work.resolve("resume.out"),
              work.resolve("resume.err"),
              "train",
              "--resume",
              run.toString(),
              "--epochs",
              "2");
      byte[] body = inputsJson(testImages(8));
      Set<String> seen = new HashSet<>();
      int errors = 0;
      int requests = 0;
      int afterNew = 0;
      String after = null;
      // bounded: until 200 answers came from the new weights, at most 20,000 requests
      while (requests < 20_000 && afterNew < 200) {
        HttpResponse<String> r = post(s.uri("/v1/predict"), "application/json", body);
        requests++;
        if (r.statusCode() != 200) {
          errors++;
          continue;
        }
        String sha = r.headers().firstValue("X-Mlp-Checkpoint").orElse("?");
        seen.add(sha);
        if (!training.isAlive() && after == null) {
          after = FileStoreSha.of(last);
        }
        if (after != null && sha.equals(after)) {
          afterNew++;
        }
      }
      assertThat(training.waitFor(600, TimeUnit.SECONDS)).isTrue();
      assertThat(training.exitValue()).as(Files.readString(work.resolve("resume.err"))).isZero();
      assertThat(errors).as("requests not answered 200, of " + requests).isZero();
      assertThat(after).isNotEqualTo(before);
      assertThat(seen).contains(before, after);
      assertThat(afterNew).isEqualTo(200);
      assertThat(s.errText())
          .containsPattern(
              "reloaded .*last.safetensors: epoch 2, sha256 " + after.substring(0, 12));
    } finally {
      assertThat(s.terminate()).isZero();
    }
  }

  @Test
  void aTableModelTakesRowsByColumnName() throws Exception {
    Path run = work.resolve("run-weather");
    MlpProcess.Result t =
        MlpProcess.run(
            Map.of(),
            600,
            "train",
            "--config",
            "configs/seattle-weather.yaml",
            "--epochs",
            "3",
            "--out",
            run.toString());
    assertThat(t.exit()).as(t.err()).isZero();
    Path ck = run.resolve("checkpoints/last.safetensors");
    Served s = serve("--checkpoint", ck.toString());
    try {
      dev.mlp.run.Model model = dev.mlp.run.Model.load(ck);
      Map<String, Object> row =
          Map.of("precipitation", 10.9, "temp_max", "10.6", "temp_min", 2.8, "wind", 4.5);
      HttpResponse<String> r =
          post(
              s.uri("/v1/predict"),
              "application/json",
              JSON.writeValueAsBytes(Map.of("rows", List.of(row), "top", 5)));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode p = JSON.readTree(r.body()).get("predictions").get(0);
      dev.mlp.run.Model.Prediction want = model.predict(row);
      assertThat(p.get("label").asText()).isEqualTo(model.className(want.label()));
      // this JVM may compute on the scalar kernels, the server on the vector ones
      assertThat(p.get("probability").floatValue())
          .isCloseTo(want.probability(), org.assertj.core.data.Offset.offset(1e-6f));
      assertThat(p.get("top")).hasSize(5);
      HttpResponse<String> bad =
          post(
              s.uri("/v1/predict"),
              "application/json",
              "{\"rows\": [{\"precipitation\": 1, \"temp_max\": 2, \"temp_min\": 1, \"wind\": \"calm\"}]}"
                  .getBytes(StandardCharsets.UTF_8));
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(bad.body()).get("error").asText())
          .isEqualTo("rows[0]: column 'wind': expected a number, got 'calm'");
      JsonNode m = JSON.readTree(get(s.uri("/v1/model")).body());
      assertThat(m.get("input").get("kind").asText()).isEqualTo("table");
      assertThat(m.get("input").get("columns").findValuesAsText("name"))
          .containsExactly("precipitation", "temp_max", "temp_min", "wind");
      assertThat(get(s.uri("/")).body()).contains("id=\"form\"");
    } finally {
      assertThat(s.terminate()).isZero();
    }
  }

  /** SHA-256 of a file, hex. */
  static final class FileStoreSha {
    static String of(Path p) throws IOException {
      return dev.mlp.data.fetch.FileStore.sha256(p);
    }
  }

  static {
    Locale.setDefault(Locale.ROOT);
  }
}
