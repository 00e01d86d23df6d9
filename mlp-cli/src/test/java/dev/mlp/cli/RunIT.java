package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlp.run.checkpoint.Safetensors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs, checkpoints and exact resume through the real process: a training JVM killed with SIGKILL
 * mid-epoch, or stopped with SIGTERM through the launcher, and resumed (with another thread count)
 * ends with the same bits as a run never interrupted.
 */
class RunIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  private static Path reference;

  @BeforeAll
  static void uninterruptedRun() throws Exception {
    reference = dir.resolve("reference");
    MlpProcess.Result r =
        MlpProcess.trainSeed(3, "--json", "--out", reference.toString(), "--threads", "2");
    assertThat(r.exit()).as(r.err()).isZero();
  }

  @Test
  void theRunFolderHoldsConfigMetricsCheckpointsAndSummary() throws Exception {
    assertThat(reference.resolve("config.yaml"))
        .content()
        .contains("name: mnist-2layer", "lr: 0.01");
    List<JsonNode> lines = metrics(reference);
    assertThat(lines.stream().filter(l -> l.get("kind").asText().equals("epoch")))
        .extracting(l -> l.get("epoch").asInt())
        .containsExactly(1, 2, 3);
    // a step line every 100 steps: 1875 steps an epoch, 5625 in all
    assertThat(lines.stream().filter(l -> l.get("kind").asText().equals("step"))).hasSize(56);
    Safetensors.Contents last = Safetensors.read(reference.resolve("checkpoints/last.safetensors"));
    assertThat(last.tensors().keySet())
        .containsExactly("layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias");
    assertThat(last.tensors().get("layers.0.weight").shape()).containsExactly(128, 784);
    assertThat(last.tensors().get("layers.0.bias").shape()).containsExactly(128);
    assertThat(last.metadata()).containsEntry("epoch", "3").containsEntry("step", "5625");
    JsonNode summary = JSON.readTree(reference.resolve("summary.json").toFile());
    assertThat(summary.get("test").get("accuracy").asDouble())
        .isEqualTo(lines.get(lines.size() - 1).get("test_accuracy").asDouble());
  }

  @Test
  void aRunKilledWithSigkillMidEpochAndResumedEndsWithTheSameBits() throws Exception {
    Path run = dir.resolve("killed");
    Process p = startAndWaitForEpoch2(run, 2);
    ProcessHandle java =
        p.descendants()
            .filter(h -> h.info().command().orElse("").endsWith("java"))
            .findFirst()
            .orElseThrow();
    java.destroyForcibly(); // SIGKILL to the training JVM itself: no shutdown hook runs
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    // the last checkpoint is the one of epoch 1, whole
    assertThat(Safetensors.read(run.resolve("checkpoints/last.safetensors")).metadata())
        .containsEntry("epoch", "1");

    MlpProcess.Result r =
        MlpProcess.run(
            Map.of(), 600, "train", "--resume", run.toString(), "--json", "--threads", "1");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("resuming after epoch 1, step 1875");
    assertSameBitsAndMetrics(run);
  }

  @Test
  void aRunStoppedWithSigtermSavesTheLastStepAndResumesToTheSameBits() throws Exception {
    Path run = dir.resolve("stopped");
    Process p = startAndWaitForEpoch2(run, 1);
    p.destroy(); // SIGTERM to the launcher, which passes it on, as Ctrl-C does
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(143);
    String err = Files.readString(run.resolveSibling("stopped.err"));
    assertThat(err)
        .containsPattern(
            "interrupted in epoch 2 after step \\d+: saved .*last.safetensors; continue with: "
                + java.util.regex.Pattern.quote(MlpProcess.REPO.resolve("mlp").toString())
                + " train --resume "
                + run);
    Map<String, String> meta =
        Safetensors.read(run.resolve("checkpoints/last.safetensors")).metadata();
    assertThat(meta.get("epoch")).isEqualTo("1");
    assertThat(Integer.parseInt(meta.get("step_in_epoch"))).isPositive(); // mid-epoch, not redone

    MlpProcess.Result r =
        MlpProcess.run(
            Map.of(), 600, "train", "--resume", run.toString(), "--json", "--threads", "2");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err())
        .containsPattern("resuming in epoch 2 after step \\d+ \\(\\d+ steps of the epoch done");
    assertSameBitsAndMetrics(run);
  }

  @Test
  void resumingAFinishedRunWithMoreEpochsContinuesIt() throws Exception {
    Path run = dir.resolve("extended");
    MlpProcess.Result first = MlpProcess.trainSeed(1, "--out", run.toString());
    assertThat(first.exit()).as(first.err()).isZero();
    MlpProcess.Result r =
        MlpProcess.run(
            Map.of(), 600, "train", "--resume", run.toString(), "--epochs", "3", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.jsonLines()).extracting(l -> l.get("epoch").asInt()).containsExactly(2, 3);
    // with a constant learning rate, 1 + 2 epochs are the same 3 epochs
    assertSameBitsAndMetrics(run);
  }

  @Test
  void aProgressBarOnATerminalAndOneLinePerEpochElsewhere() throws Exception {
    // without a terminal (a CI log): the header and one row per epoch, never a carriage return
    MlpProcess.Result plain = MlpProcess.trainSeed(2, "--out", dir.resolve("plain").toString());
    assertThat(plain.exit()).as(plain.err()).isZero();
    assertThat(plain.out()).doesNotContain("\r");
    assertThat(plain.out().lines().filter(l -> l.matches("\\s+\\d+\\s+\\d.*"))).hasSize(2);

    // on a terminal (script(1) gives the process one, 120 columns wide): a bar per epoch with
    // samples done, running loss and accuracy, speed and ETA, redrawn in place
    Path tty = dir.resolve("tty");
    Process p =
        new ProcessBuilder(
                "script",
                "-qec",
                "stty cols 120; ./mlp train --config configs/mnist-2layer.yaml --epochs 2 --out "
                    + tty,
                "/dev/null")
            .directory(MlpProcess.REPO.toFile())
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    String screen = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(screen).isZero();
    assertThat(screen)
        .containsPattern(
            "\\repoch 1/2 +\\d+% .*\\d+/60000 img \\(\\d:\\d\\d:\\d\\d / \\d:\\d\\d:\\d\\d\\) +loss \\d\\.\\d{4} acc \\d\\.\\d{4} [\\d,]+ img/s")
        .contains("epoch 2/2 100%");
  }

  @Test
  void badCheckpointsAreOneLineAndExitCode2() throws Exception {
    Path good = reference.resolve("checkpoints/last.safetensors");
    byte[] bytes = Files.readAllBytes(good);
    Path cutRun = dir.resolve("cut");
    Files.createDirectories(cutRun.resolve("checkpoints"));
    Path cut = cutRun.resolve("checkpoints/last.safetensors");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    MlpProcess.Result r = MlpProcess.run("train", "--resume", cutRun.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err())
        .startsWith("mlp: error: " + cut + ": tensor ")
        .contains("a truncated file?");

    Path notOne = dir.resolve("config-as-checkpoint.safetensors");
    Files.copy(MlpProcess.REPO.resolve("configs/mnist-2layer.yaml"), notOne);
    r = MlpProcess.run("train", "--resume", notOne.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .startsWith("mlp: error: " + notOne + ": not a checkpoint");

    r = MlpProcess.run("train", "--resume", dir.resolve("nothing-here").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines()).singleElement().asString().contains("no such checkpoint file");
  }

  private static Process startAndWaitForEpoch2(Path run, int threads) throws Exception {
    Process p =
        MlpProcess.start(
            run.resolveSibling(run.getFileName() + ".out"),
            run.resolveSibling(run.getFileName() + ".err"),
            MlpProcess.trainSeedArguments(
                3, "--json", "--out", run.toString(), "--threads", "" + threads));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    // a step line of epoch 2: the epoch-1 checkpoint exists and epoch 2 is under way
    while (!Files.exists(run.resolve("metrics.jsonl"))
        || !Files.readString(run.resolve("metrics.jsonl"))
            .contains("\"kind\":\"step\",\"epoch\":2")) {
      assertThat(p.isAlive()).as("training ended before epoch 2 began").isTrue();
      assertThat(System.nanoTime()).as("epoch 2 never began").isLessThan(deadline);
      Thread.sleep(5);
    }
    return p;
  }

  private static List<JsonNode> metrics(Path run) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(run.resolve("metrics.jsonl"), StandardCharsets.UTF_8)) {
      out.add(JSON.readTree(l));
    }
    return out;
  }

  private static void assertSameBitsAndMetrics(Path run) throws IOException {
    Safetensors.Contents want = Safetensors.read(reference.resolve("checkpoints/last.safetensors"));
    Safetensors.Contents got = Safetensors.read(run.resolve("checkpoints/last.safetensors"));
    assertThat(got.tensors().keySet()).containsExactlyElementsOf(want.tensors().keySet());
    for (String name : want.tensors().keySet()) {
      float[] a = want.tensors().get(name).data();
      float[] b = got.tensors().get(name).data();
      assertThat(b.length).isEqualTo(a.length);
      for (int i = 0; i < a.length; i++) {
        if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
          throw new AssertionError(name + "[" + i + "]: " + b[i] + " but uninterrupted " + a[i]);
        }
      }
    }
    // the log describes the same run: the same figures, each epoch and step once
    List<JsonNode> a = metrics(reference);
    List<JsonNode> b = metrics(run);
    assertThat(b).hasSameSizeAs(a);
    for (int i = 0; i < a.size(); i++) {
      for (String f :
          List.of(
              "kind",
              "epoch",
              "step",
              "steps",
              "loss",
              "accuracy",
              "train_accuracy",
              "test_loss",
              "test_accuracy")) {
        assertThat(String.valueOf(b.get(i).get(f)))
            .as("metrics line %d, %s", i + 1, f)
            .isEqualTo(String.valueOf(a.get(i).get(f)));
      }
    }
  }
}
