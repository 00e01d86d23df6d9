package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code mlp} process: help, version, and its answers to bad input. */
class CliIT {
  @TempDir Path tmp;

  @Test
  void helpListsTheTrainCommandAndExitCodes() throws Exception {
    MlpProcess.Result r = MlpProcess.run("--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("train", "Exit codes: 0 ok");
    MlpProcess.Result t = MlpProcess.run("train", "--help");
    assertThat(t.out()).contains("--config", "--epochs", "--seed", "--set", "--json");
  }

  @Test
  void versionNamesTheProjectVersion() throws Exception {
    MlpProcess.Result r = MlpProcess.run("--version");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("mlp 0.").contains("Java 17");
  }

  @Test
  void benchReportsTrainingAndInferenceSpeedAsJson() throws Exception {
    MlpProcess.Result r =
        MlpProcess.run(
            Map.of(),
            300,
            "bench",
            "--config",
            "configs/mnist-2layer.yaml",
            "--warmup",
            "1",
            "--repeat",
            "2",
            "--threads",
            "2",
            "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode o = new ObjectMapper().readTree(r.out());
    assertThat(o.get("threads").asInt()).isEqualTo(2);
    assertThat(o.get("batch_size").asInt()).isEqualTo(32);
    JsonNode train = o.get("train");
    assertThat(train.get("epochs_measured").asInt()).isEqualTo(2);
    assertThat(train.get("epoch_seconds")).hasSize(2);
    double seconds = train.get("seconds_per_epoch").asDouble();
    assertThat(seconds).isPositive();
    // 60,000 samples an epoch; FLOP a sample: 4·784·128 (the first layer: forward and weight
    // gradient) + 6·128·10 (the second: forward, weight and input gradients)
    assertThat(train.get("samples_per_second").asDouble()).isCloseTo(60_000 / seconds, within(1.0));
    assertThat(train.get("gflops").asDouble())
        .isCloseTo(60_000 * (4.0 * 784 * 128 + 6.0 * 128 * 10) / seconds / 1e9, within(0.01));
    assertThat(o.get("inference").get("samples").asInt()).isEqualTo(10_000);
    assertThat(o.get("inference").get("seconds").asDouble()).isPositive();
  }

  @Test
  void badThreadCountIsABadInput() throws Exception {
    MlpProcess.Result r =
        MlpProcess.run("train", "--config", "configs/mnist-2layer.yaml", "--threads", "0");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly("mlp: error: --threads must be between 1 and 256, got 0");
  }

  @Test
  void layersListsEveryRegisteredTypeWithItsFields() throws Exception {
    MlpProcess.Result r = MlpProcess.run("layers");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("layers:", "optimizers:", "initializers:", "datasets:")
        .contains("linear", "relu", "sigmoid", "tanh", "softmax_cross_entropy", "sgd")
        .contains("xavier_uniform", "zeros", "mnist", "from dev.mlp.layers.LayersModule");
    assertThat(r.out().lines())
        .anyMatch(l -> l.matches("\\s+units\\s+integer\\s+default: required\\s+output width.*"))
        .anyMatch(l -> l.matches("\\s+gain\\s+number\\s+default: 1.0\\s+.*"));
    MlpProcess.Result j = MlpProcess.run("list", "--json");
    JsonNode layers = new ObjectMapper().readTree(j.out()).get("layers");
    List<String> types = new ArrayList<>();
    layers.forEach(l -> types.add(l.get("type").asText()));
    assertThat(types)
        .containsExactly(
            "dropout",
            "gelu",
            "leaky_relu",
            "linear",
            "mse",
            "relu",
            "sigmoid",
            "softmax_cross_entropy",
            "tanh");
    JsonNode linear = layers.get(types.indexOf("linear"));
    assertThat(linear.get("fields").get(0).get("name").asText()).isEqualTo("units");
    assertThat(linear.get("fields").get(0).get("default").asText()).isEqualTo("required");
  }

  @Test
  void configValidateReportsShapeErrorsAgainstTheFile() throws Exception {
    Path c = tmp.resolve("shape.yaml");
    Files.writeString(
        c,
        Files.readString(MlpProcess.REPO.resolve("configs/mnist-2layer.yaml"))
            .replace("      units: 10\n", "      units: 10\n      inputs: 100\n"));
    MlpProcess.Result r = MlpProcess.run("config", "validate", c.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly(
            "mlp: error: "
                + c
                + ":18:7: model.layers[2].inputs: linear expects 100 inputs but the previous layer"
                + " gives 128");
  }

  @Test
  void missingConfigIsOneLineAndExitCode2() throws Exception {
    MlpProcess.Result r = MlpProcess.run("train", "--config", "configs/nope.yaml");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines()).containsExactly("mlp: error: configs/nope.yaml: no such config file");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void unknownLayerTypeIsOneLineWithoutStackTrace() throws Exception {
    Path c = tmp.resolve("typo.yaml");
    Files.writeString(
        c,
        Files.readString(MlpProcess.REPO.resolve("configs/mnist-2layer.yaml"))
            .replace("- type: sigmoid", "- type: sigmoide"));
    MlpProcess.Result r = MlpProcess.run("train", "--config", c.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly(
            "mlp: error: "
                + c
                + ":15:7: model.layers[1]: unknown layer type 'sigmoide'; known: dropout, gelu, leaky_relu, linear,"
                + " mse, relu, sigmoid, softmax_cross_entropy, tanh; did you mean 'sigmoid'?");
  }

  @Test
  void unknownOptionIsAUsageErrorWithExitCode2() throws Exception {
    MlpProcess.Result r =
        MlpProcess.run("train", "--config", "configs/mnist-2layer.yaml", "--epoch", "3");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("Unknown option", "'--epoch'", "Try 'mlp train --help'");
  }

  @Test
  void whenEverySourceFailsTheErrorSaysWhatWasTriedAndWhereToPutTheFiles() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path home = tmp.resolve("home");
    MlpProcess.Result r =
        MlpProcess.run(
            Map.of("MLP_HOME", home.toString()),
            60,
            "train",
            "--config",
            "configs/mnist-2layer.yaml",
            "--set",
            "data.mirrors=[http://127.0.0.1:" + port + "/mnist/]",
            "--set",
            "data.npm=false");
    assertThat(r.exit()).isEqualTo(2);
    String last = r.errLines().get(r.errLines().size() - 1);
    assertThat(last)
        .startsWith("mlp: error: mnist: could not get train-images-idx3-ubyte")
        .contains("tried mirror http://127.0.0.1:" + port + "/mnist/")
        .contains("connection refused")
        .endsWith(
            "Place the files (raw or .gz) in " + home.resolve("mnist") + " by hand and run again");
    assertThat(r.out()).isEmpty();
  }
}
