package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlp.run.checkpoint.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every config in configs/ trains through the real process with its loss falling, and threads never
 * change results: neither the figures nor the saved weights.
 */
class ConfigsIT {
  static Stream<String> configs() throws Exception {
    try (Stream<Path> files = Files.list(MlpProcess.REPO.resolve("configs"))) {
      List<String> names =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".yaml"))
              .sorted()
              .toList();
      assertThat(names).contains("mnist-2layer.yaml");
      return names.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void everyConfigTrainsAndItsLossFalls(String name) throws Exception {
    MlpProcess.Result r =
        MlpProcess.run(
            Map.of(), 600, "train", "--config", "configs/" + name, "--epochs", "2", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines.get(0));
    JsonNode second = json.readTree(lines.get(1));
    assertThat(first.get("loss").asDouble()).isFinite().isPositive();
    assertThat(second.get("loss").asDouble()).isLessThan(first.get("loss").asDouble());
    if (second.has("test_accuracy")) {
      assertThat(second.get("test_accuracy").asDouble()).as("far above chance").isGreaterThan(0.5);
    } else {
      // a regressor: its error on the test set falls too (two epochs are early for R²)
      assertThat(second.get("test_loss").asDouble()).isLessThan(first.get("test_loss").asDouble());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void everyLayerOfEveryConfigPassesGradcheck(String name) throws Exception {
    MlpProcess.Result r = MlpProcess.run(Map.of(), 300, "gradcheck", "--config", "configs/" + name);
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    List<String> rows = r.out().lines().filter(l -> l.matches("^\\d+ .*")).toList();
    assertThat(rows).isNotEmpty().allMatch(l -> l.endsWith("PASS"));
    assertThat(rows.get(rows.size() - 1)).containsAnyOf("softmax_cross_entropy", "mse");
    assertThat(r.out()).endsWith("all layers PASS\n");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void everyConfigValidatesAndPrintsItsModel(String name) throws Exception {
    MlpProcess.Result r = MlpProcess.run("config", "validate", "configs/" + name);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith("configs/" + name + ": OK")
        .containsPattern("(softmax_cross_entropy|mse) +\\[N, \\d+\\]")
        .contains("total parameters: ");
  }

  /**
   * The same run on 1 and 2 threads: the same epoch lines and the same saved tensors, bit for bit
   * (every weight, bias and optimizer buffer of checkpoints/last.safetensors). The weights are
   * compared too because the printed figures cannot see every weight: the first layer's weights of
   * a pixel that is 0 in every MNIST image never change an output.
   */
  @Test
  void oneAndTwoThreadsGiveTheSameEpochsAndWeightsBitForBit(@TempDir Path runs) throws Exception {
    String[] args = {"train", "--config", "configs/mnist-2layer.yaml", "--epochs", "2", "--json"};
    Path oneRun = runs.resolve("one");
    Path twoRun = runs.resolve("two");
    MlpProcess.Result one =
        MlpProcess.run(Map.of(), 300, concat(args, "--threads", "1", "--out", oneRun.toString()));
    MlpProcess.Result two =
        MlpProcess.run(Map.of(), 300, concat(args, "--threads", "2", "--out", twoRun.toString()));
    assertThat(one.exit()).as(one.err()).isZero();
    assertThat(two.exit()).as(two.err()).isZero();
    assertThat(two.err()).contains("× 2 threads");
    Safetensors.Contents want = Safetensors.read(oneRun.resolve("checkpoints/last.safetensors"));
    Safetensors.Contents got = Safetensors.read(twoRun.resolve("checkpoints/last.safetensors"));
    assertThat(got.tensors().keySet())
        .containsExactlyElementsOf(want.tensors().keySet())
        .contains("layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias");
    for (String name : want.tensors().keySet()) {
      float[] a = want.tensors().get(name).data();
      float[] b = got.tensors().get(name).data();
      assertThat(b.length).as(name).isEqualTo(a.length);
      for (int i = 0; i < a.length; i++) {
        if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
          throw new AssertionError(
              name + "[" + i + "]: " + b[i] + " on 2 threads, " + a[i] + " on 1");
        }
      }
    }
    assertThat(DataCacheIT.withoutTimings(two.out()))
        .isEqualTo(DataCacheIT.withoutTimings(one.out()))
        .contains("\"epoch\":2");
  }

  private static String[] concat(String[] a, String... b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }
}
