package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The tuned configs reach their accuracy on the real data, full length, through the real process (a
 * few minutes each).
 */
class AccuracyIT {
  @ParameterizedTest(name = "{0} ≥ {1}")
  @CsvSource({"mnist-mlp-best.yaml, 0.985", "fashion-mnist-mlp.yaml, 0.895"})
  void tunedConfigsReachTheirBar(String config, double bar) throws Exception {
    MlpProcess.Result r =
        MlpProcess.run(Map.of(), 3600, "train", "--config", "configs/" + config, "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    List<JsonNode> epochs = r.jsonLines();
    JsonNode last = epochs.get(epochs.size() - 1);
    System.out.println(config + ": " + last);
    assertThat(last.get("test_accuracy").asDouble()).isGreaterThanOrEqualTo(bar);
  }
}
