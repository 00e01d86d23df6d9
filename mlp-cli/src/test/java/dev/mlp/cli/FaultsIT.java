package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlp.run.checkpoint.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults through the real process: divergence, a full disk, an unwritable run folder, two processes
 * filling one cache. Each ends with a clear answer and nothing the user had is lost.
 */
class FaultsIT {
  @TempDir Path dir;

  private static void trainOneEpoch(Path run) throws Exception {
    MlpProcess.Result r = MlpProcess.trainSeed(1, "--out", run.toString());
    assertThat(r.exit()).as(r.err()).isZero();
  }

  /** Writes {@code original}'s tensors back to {@code file} with some metadata entries changed. */
  private static void rewriteMetadata(
      Path file, Safetensors.Contents original, Map<String, String> changes) throws Exception {
    Map<String, String> meta = new java.util.LinkedHashMap<>(original.metadata());
    meta.putAll(changes);
    Safetensors.write(file, meta, List.copyOf(original.tensors().values()));
  }

  @Test
  void divergenceStopsAtTheFirstBadStepAndSavesNothing() throws Exception {
    Path run = dir.resolve("diverged");
    MlpProcess.Result r =
        MlpProcess.trainSeed(10, "--set", "optimizer.lr=1000", "--out", run.toString());
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .matches(
            "mlp: error: loss became [0-9.e+]+ \\(above 100.0, where a model has blown up\\) at"
                + " epoch 1, step \\d+: training diverged; the learning rate \\(1000.0\\) is likely"
                + " too high \\(or set training.clip_norm\\); no checkpoint was written and the"
                + " run folder was removed");
    // no dead end: the same command can run again into the same folder
    assertThat(run).doesNotExist();
    MlpProcess.Result again = MlpProcess.trainSeed(1, "--out", run.toString());
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(run.resolve("checkpoints/last.safetensors")).isRegularFile();
  }

  @Test
  void aRunThatCannotStartLeavesTheUsersFolderAsItWas() throws Exception {
    Path run = java.nio.file.Files.createDirectories(dir.resolve("mine"));
    java.nio.file.Files.writeString(run.resolve("notes.txt"), "my notes");
    MlpProcess.Result r =
        MlpProcess.trainSeed(
            10, "--set", "optimizer.lr=1000", "--out", run.toString(), "--threads", "1");
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).contains("no checkpoint was written, and the run's files were removed");
    assertThat(MlpProcess.fileNames(run)).containsExactly("notes.txt");
    MlpProcess.Result held = MlpProcess.trainSeed(1, "--set", "training.validation=60000");
    assertThat(held.exit()).isEqualTo(2);
    assertThat(held.errLines())
        .singleElement()
        .asString()
        .endsWith(
            "training.validation: holds out 60000 samples but mnist has only 60000 to train on;"
                + " hold out fewer");
  }

  @Test
  void divergenceAfterAGoodEpochKeepsTheLastGoodCheckpointUntouched() throws Exception {
    Path run = dir.resolve("later");
    trainOneEpoch(run);
    Path last = run.resolve("checkpoints/last.safetensors");
    // the run goes on with a learning rate that blows it up: its config, inside the checkpoint,
    // edited as a user might edit a run's config
    Safetensors.Contents c = Safetensors.read(last);
    String config = c.metadata().get("config");
    assertThat(config).contains("lr: 0.01");
    rewriteMetadata(last, c, Map.of("config", config.replace("lr: 0.01", "lr: 1000.0")));
    // config.yaml says the same, or the resume would refuse the difference
    Files.writeString(run.resolve("config.yaml"), config.replace("lr: 0.01", "lr: 1000.0"));
    byte[] good = Files.readAllBytes(last);

    MlpProcess.Result r =
        MlpProcess.run(Map.of(), 600, "train", "--resume", run.toString(), "--epochs", "3");
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err())
        .contains("at epoch 2, step 18")
        .endsWith("; kept the last good checkpoint, " + last + " (epoch 1)\n");
    assertThat(Files.readAllBytes(last)).isEqualTo(good);
    assertThat(MlpProcess.fileNames(run.resolve("checkpoints")))
        .containsExactly("last.safetensors");
  }

  /** A checkpoint whose position lies is refused before anything of the run is touched. */
  @Test
  void aLyingPositionIsRefusedAndTheRunStaysAsItWas() throws Exception {
    Path run = dir.resolve("lying");
    trainOneEpoch(run);
    Path last = run.resolve("checkpoints/last.safetensors");
    Safetensors.Contents c = Safetensors.read(last);
    Map<String, String> lies =
        Map.of(
            "step_in_epoch", "1000000",
            "step", "1876",
            "epoch_samples", "31",
            "optimizer_steps", "7");
    for (Map.Entry<String, String> lie : lies.entrySet()) {
      rewriteMetadata(last, c, Map.of(lie.getKey(), lie.getValue()));
      byte[] checkpoint = Files.readAllBytes(last);
      byte[] metrics = Files.readAllBytes(run.resolve("metrics.jsonl"));
      byte[] config = Files.readAllBytes(run.resolve("config.yaml"));
      MlpProcess.Result r =
          MlpProcess.run(Map.of(), 600, "train", "--resume", run.toString(), "--epochs", "2");
      assertThat(r.exit()).as(r.err()).isEqualTo(2);
      assertThat(r.errLines())
          .singleElement()
          .asString()
          .startsWith(
              "mlp: error: "
                  + last
                  + ": its training position does not fit the configured run: "
                  + lie.getKey()
                  + " is "
                  + lie.getValue());
      assertThat(Files.readAllBytes(last)).isEqualTo(checkpoint);
      assertThat(Files.readAllBytes(run.resolve("metrics.jsonl"))).isEqualTo(metrics);
      assertThat(Files.readAllBytes(run.resolve("config.yaml"))).isEqualTo(config);
    }
  }

  /** --epochs behind the run's position is refused: a summary would mislabel the weights. */
  @Test
  void resumingWithFewerEpochsThanTheRunReachedIsRefused() throws Exception {
    Path run = dir.resolve("behind");
    trainOneEpoch(run);
    Path last = run.resolve("checkpoints/last.safetensors");
    // in epoch 2 after 5 of its steps, as a Ctrl-C would leave it
    rewriteMetadata(
        last,
        Safetensors.read(last),
        Map.of(
            "step_in_epoch", "5",
            "step", "1880",
            "optimizer_steps", "1880",
            "epoch_samples", "160",
            "epoch_correct", "100",
            "epoch_loss_sum", "80.0"));
    byte[] before = Files.readAllBytes(last);
    MlpProcess.Result r =
        MlpProcess.run(Map.of(), 600, "train", "--resume", run.toString(), "--epochs", "1");
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.errLines())
        .singleElement()
        .isEqualTo(
            "mlp: error: "
                + last
                + ": the run is in epoch 2 (5 steps done); --epochs 1 is behind it: give at"
                + " least 2");
    assertThat(Files.readAllBytes(last)).isEqualTo(before);
    assertThat(run.resolve("summary.json")).exists(); // the one of epoch 1, untouched
  }

  @Test
  void aFullDiskIsAClearErrorAndThePreviousCheckpointStaysWhole() throws Exception {
    Path run = dir.resolve("full");
    trainOneEpoch(run);
    Path last = run.resolve("checkpoints/last.safetensors");
    byte[] before = Files.readAllBytes(last);
    // files may grow to 200 KiB: the next 400 KB checkpoint cannot be written, as on a full disk
    Process p =
        new ProcessBuilder(
                "bash", "-c", "ulimit -f 200; exec ./mlp train --resume " + run + " --epochs 2")
            .directory(MlpProcess.REPO.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(2);
    assertThat(out)
        .contains(
            "mlp: error: "
                + last
                + ": cannot write (File too large); the previous file is untouched");
    assertThat(Files.readAllBytes(last)).isEqualTo(before);
    assertThat(Safetensors.read(last).metadata()).containsEntry("epoch", "1");
    assertThat(MlpProcess.fileNames(run.resolve("checkpoints")))
        .containsExactly("last.safetensors");
  }

  @Test
  void anUnwritableRunFolderIsOneLineAndExitCode2() throws Exception {
    Path file = dir.resolve("a-file");
    Files.writeString(file, "keep me");
    MlpProcess.Result r =
        MlpProcess.run(
            "train",
            "--config",
            "configs/mnist-2layer.yaml",
            "--out",
            file.resolve("run").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .startsWith("mlp: error: ")
        .contains(file.toString());
    assertThat(Files.readString(file)).isEqualTo("keep me");
  }

  @Test
  void twoProcessesFillingOneEmptyCacheBothSucceedAndLeaveItWhole() throws Exception {
    Path home = dir.resolve("home");
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      ProcessBuilder pb =
          MlpProcess.command(
                  MlpProcess.trainSeedArguments(
                      1, "--json", "--out", dir.resolve("run" + i).toString()))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("out" + i + ".txt").toFile());
      pb.environment().put("MLP_HOME", home.toString());
      ps.add(pb.start());
    }
    for (int i = 0; i < 2; i++) {
      assertThat(ps.get(i).waitFor(600, TimeUnit.SECONDS)).isTrue();
      assertThat(ps.get(i).exitValue())
          .as(Files.readString(dir.resolve("out" + i + ".txt")))
          .isZero();
    }
    assertThat(MlpProcess.fileNames(home.resolve("mnist")))
        .containsExactly(
            "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte",
            "train-images-idx3-ubyte",
            "train-labels-idx1-ubyte");
    assertThat(DataCacheIT.sha256(home.resolve("mnist/train-images-idx3-ubyte")))
        .isEqualTo("ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db");
  }
}
