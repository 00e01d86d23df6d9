package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every config in configs/ trains through the real process with its loss falling, and threads never
 * change results.
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
    assertThat(second.get("test_accuracy").asDouble())
        .as("far above chance (0.1)")
        .isGreaterThan(0.5);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void everyLayerOfEveryConfigPassesGradcheck(String name) throws Exception {
    MlpProcess.Result r = MlpProcess.run(Map.of(), 300, "gradcheck", "--config", "configs/" + name);
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    List<String> rows = r.out().lines().filter(l -> l.matches("^\\d+ .*")).toList();
    assertThat(rows).isNotEmpty().allMatch(l -> l.endsWith("PASS"));
    assertThat(rows.get(rows.size() - 1)).contains("softmax_cross_entropy");
    assertThat(r.out()).endsWith("all layers PASS\n");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void everyConfigValidatesAndPrintsItsModel(String name) throws Exception {
    MlpProcess.Result r = MlpProcess.run("config", "validate", "configs/" + name);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith("configs/" + name + ": OK")
        .contains("softmax_cross_entropy", "[N, 10]", "total parameters: ");
  }

  @Test
  void oneAndTwoThreadsGiveTheSameEpochsBitForBit() throws Exception {
    String[] args = {"train", "--config", "configs/mnist-2layer.yaml", "--epochs", "2", "--json"};
    MlpProcess.Result one = MlpProcess.run(Map.of(), 300, concat(args, "--threads", "1"));
    MlpProcess.Result two = MlpProcess.run(Map.of(), 300, concat(args, "--threads", "2"));
    assertThat(one.exit()).as(one.err()).isZero();
    assertThat(two.exit()).as(two.err()).isZero();
    assertThat(two.err()).contains("× 2 threads");
    assertThat(DataCacheIT.withoutTimings(two.out()))
        .isEqualTo(DataCacheIT.withoutTimings(one.out()))
        .contains("\"epoch\":2");
  }

  private static String[] concat(String[] a, String... b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }
}
