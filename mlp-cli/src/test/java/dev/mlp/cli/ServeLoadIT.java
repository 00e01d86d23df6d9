package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded load on {@code mlp serve} from another process (mlp-bench's {@code ServeLoad}): 8
 * connections × 500 requests of one image, then 8 × 50 of 64 images. Every request must be answered
 * 200; the figures (requests/s, latency, memory) go to the README from longer runs, never into an
 * assertion about time.
 */
class ServeLoadIT {
  @TempDir Path work;

  @Test
  void eightClientsGetEveryAnswerWithoutAnError() throws Exception {
    MlpProcess.Result t = MlpProcess.trainSeed(1, "--out", work.resolve("run").toString());
    assertThat(t.exit()).as(t.err()).isZero();
    ServeIT.Served s =
        ServeIT.serveIn(
            work, "--checkpoint", work.resolve("run/checkpoints/last.safetensors").toString());
    try {
      long pid =
          s.process()
              .descendants()
              .filter(p -> p.info().command().orElse("").endsWith("java"))
              .findFirst()
              .orElseThrow()
              .pid();
      JsonNode one = load(s.port(), pid, 8, 500, 1);
      assertThat(one.get("errors").asInt()).isZero();
      JsonNode many = load(s.port(), pid, 8, 50, 64);
      assertThat(many.get("errors").asInt()).isZero();
      assertThat(many.get("rss_peak_kb").asLong()).isPositive();
      assertThat(ServeIT.get(s.uri("/health")).statusCode()).isEqualTo(200);
    } finally {
      assertThat(s.terminate()).isZero();
    }
  }

  static JsonNode load(int port, long pid, int clients, int requests, int batch) throws Exception {
    Path jar = MlpProcess.REPO.resolve("mlp-bench/target/mlp-benchmarks.jar");
    assertThat(jar).as("mlp-bench is built before mlp-cli").exists();
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                jar.toString(),
                "dev.mlp.bench.ServeLoad",
                String.valueOf(port),
                String.valueOf(pid),
                String.valueOf(clients),
                String.valueOf(requests),
                String.valueOf(batch),
                MlpProcess.mnistFile("t10k-images-idx3-ubyte").toString(),
                "--json")
            .redirectErrorStream(true)
            .start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the load ran over 300 s");
    }
    String out = new String(p.getInputStream().readAllBytes()).strip();
    assertThat(p.exitValue()).as(out).isZero();
    return new ObjectMapper().readTree(out);
  }
}
