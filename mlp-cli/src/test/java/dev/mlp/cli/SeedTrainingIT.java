package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed reproduced: {@code mlp train --config configs/mnist-2layer.yaml} on the real MNIST
 * (fetched and verified into the user's cache on first use), through the real process.
 */
class SeedTrainingIT {
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {42, 2026})
  void seedConfigReachesTheSeedAccuracy(long seed) throws Exception {
    MlpProcess.Result r =
        MlpProcess.run(
            Map.of(),
            1800,
            "train",
            "--config",
            "configs/mnist-2layer.yaml",
            "--seed",
            String.valueOf(seed),
            "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    List<JsonNode> epochs = r.jsonLines();
    assertThat(epochs).hasSize(10);
    for (int i = 0; i < 10; i++) {
      JsonNode e = epochs.get(i);
      assertThat(e.get("epoch").asInt()).isEqualTo(i + 1);
      assertThat(e.get("steps").asLong()).isEqualTo(1875L * (i + 1));
      assertThat(e.has("loss") && e.has("train_accuracy") && e.has("seconds")).isTrue();
    }
    assertThat(epochs.get(4).get("test_accuracy").asDouble()).isGreaterThanOrEqualTo(0.895);
    assertThat(epochs.get(9).get("test_accuracy").asDouble()).isGreaterThanOrEqualTo(0.91);
    assertThat(epochs.get(9).get("loss").asDouble())
        .isLessThan(epochs.get(0).get("loss").asDouble());
    System.out.println("seed " + seed + ": " + r.out());
  }
}
