package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
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
                + ":15:7: model.layers[1]: unknown layer type 'sigmoide'; known: linear, sigmoid,"
                + " softmax_cross_entropy; did you mean 'sigmoid'?");
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
