package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlp.run.checkpoint.Safetensors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs, checkpoints and exact resume through the real process: a training JVM killed with SIGKILL
 * mid-epoch, or stopped with SIGTERM through the launcher, and resumed (with another thread count)
 * ends with the same bits as a run never interrupted. The interrupted runs are held at a known step
 * by a test plugin's callback until the signal arrives, so where they stop never depends on timing.
 */
class RunIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  private static Path reference;
  private static Path plugins;

  @BeforeAll
  static void uninterruptedRun() throws Exception {
    plugins = Files.createDirectories(dir.resolve("plugins"));
    PluginJar.build(
        dir,
        plugins.resolve("pause.jar"),
        "com.example.pause.PauseModule",
        Map.of("com/example/pause/PauseModule.java", PAUSE_MODULE));
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
    try (Paused p = Paused.start(run, 2)) {
      ProcessHandle java =
          p.process
              .descendants()
              .filter(h -> h.info().command().orElse("").endsWith("java"))
              .findFirst()
              .orElseThrow();
      java.destroyForcibly(); // SIGKILL to the training JVM itself: no shutdown hook runs
      assertThat(p.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    // held at step 100 of epoch 2: the last checkpoint is the one of epoch 1, whole
    Map<String, String> meta =
        Safetensors.read(run.resolve("checkpoints/last.safetensors")).metadata();
    assertThat(meta)
        .containsEntry("epoch", "1")
        .containsEntry("step", "1875")
        .containsEntry("step_in_epoch", "0");

    MlpProcess.Result r =
        MlpProcess.run(
            Map.of(),
            600,
            "train",
            "--resume",
            run.toString(),
            "--json",
            "--threads",
            "1",
            "--plugins",
            plugins.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("resuming after epoch 1, step 1875");
    assertSameBitsAndMetrics(run);
  }

  @Test
  void aRunStoppedWithSigtermSavesTheLastStepAndResumesToTheSameBits() throws Exception {
    Path run = dir.resolve("stopped");
    String err;
    try (Paused p = Paused.start(run, 1)) {
      // SIGTERM to the launcher, which passes it on, as Ctrl-C does (through the handle:
      // Process.destroy would also close the stderr pipe being read)
      p.process.toHandle().destroy();
      assertThat(p.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.process.exitValue()).isEqualTo(143);
      err = p.stderr();
    }
    // the step it was held in is the step saved: none redone, none skipped
    assertThat(err)
        .contains(
            "interrupted in epoch 2 after step "
                + PAUSE_STEP
                + ": saved "
                + run.resolve("checkpoints/last.safetensors")
                + "; continue with: "
                + MlpProcess.REPO.resolve("mlp")
                + " train --resume "
                + run);
    Map<String, String> meta =
        Safetensors.read(run.resolve("checkpoints/last.safetensors")).metadata();
    assertThat(meta)
        .containsEntry("epoch", "1")
        .containsEntry("step", "" + PAUSE_STEP)
        .containsEntry("step_in_epoch", "" + (PAUSE_STEP - 1875));

    MlpProcess.Result r =
        MlpProcess.run(
            Map.of(),
            600,
            "train",
            "--resume",
            run.toString(),
            "--json",
            "--threads",
            "2",
            "--plugins",
            plugins.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err())
        .contains(
            "resuming in epoch 2 after step "
                + PAUSE_STEP
                + " ("
                + (PAUSE_STEP - 1875)
                + " steps of the epoch done");
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

  /** The step the interrupted runs are held at: step 100 of epoch 2 (1,875 steps an epoch). */
  private static final long PAUSE_STEP = 1975;

  /** What makes the plugin's callback hold a run: the step, in the environment of the first run. */
  private static final String PAUSE_ENV = "MLP_TEST_PAUSE_AT_STEP";

  /**
   * A plugin with one callback, {@code pause_for_signal}: after the step named by {@value
   * #PAUSE_ENV} (if set) it says so on stderr and holds the training thread until the run's own
   * shutdown hook (TrainingSession's thread {@code mlp-stop}) has requested the stop and waits for
   * it; then the trainer, which looks for a stop request before each step, stops exactly there. A
   * signal therefore always lands at a known step, however slow or busy the machine: no race
   * against the epoch. A resumed run, without the variable, is not held.
   */
  private static final String PAUSE_MODULE =
      """
      package com.example.pause;

      import dev.mlp.core.config.CallbackSpec;
      import dev.mlp.core.registry.MlpModule;
      import dev.mlp.core.train.TrainingListener;
      import java.util.function.Consumer;

      public final class PauseModule extends MlpModule {
        public record PauseSpec() implements CallbackSpec {}

        @Override
        protected void configure() {
          callback("pause_for_signal", PauseSpec.class, (spec, ctx) -> new Pause(ctx.log()),
              "test: holds the run after the step $MLP_TEST_PAUSE_AT_STEP until a signal stops it");
        }

        static final class Pause implements TrainingListener {
          private final long at;
          private final Consumer<String> log;

          Pause(Consumer<String> log) {
            String step = System.getenv("MLP_TEST_PAUSE_AT_STEP");
            this.at = step == null ? -1 : Long.parseLong(step);
            this.log = log;
          }

          @Override
          public void onStep(StepProgress p) {
            if (p.steps() != at) {
              return;
            }
            log.accept("paused after step " + p.steps() + " (epoch " + p.epoch() + ")");
            long deadline = System.nanoTime() + 300_000_000_000L;
            while (!stopRequested()) {
              if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                    "held for 300 s: no signal, or no waiting mlp-stop thread after it");
              }
              try {
                Thread.sleep(1);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
            }
          }

          /** Whether the run's shutdown hook has asked the trainer to stop and now waits. */
          private static boolean stopRequested() {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
              if (t.getName().equals("mlp-stop")) {
                Thread.State s = t.getState();
                return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
              }
            }
            return false;
          }
        }
      }
      """;

  /**
   * A training run (the seed config, 3 epochs, --json) held by {@code pause_for_signal} after step
   * {@link #PAUSE_STEP}: {@link #start} returns once its stderr has said so, read line by line.
   */
  private static final class Paused implements AutoCloseable {
    final Process process;
    private final StringBuffer err = new StringBuffer();
    private final CompletableFuture<String> paused = new CompletableFuture<>();
    private final Thread reader;

    private Paused(Process process) {
      this.process = process;
      this.reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                  for (String l = r.readLine(); l != null; l = r.readLine()) {
                    err.append(l).append('\n');
                    if (l.startsWith("paused after step ")) {
                      paused.complete(l);
                    }
                  }
                } catch (IOException e) {
                  err.append(e).append('\n');
                } finally {
                  paused.completeExceptionally(
                      new AssertionError("training ended before it was held:\n" + err));
                }
              },
              "stderr of " + process.pid());
      reader.setDaemon(true);
      reader.start();
    }

    static Paused start(Path run, int threads) throws Exception {
      ProcessBuilder pb =
          MlpProcess.command(
              MlpProcess.trainSeedArguments(
                  3,
                  "--json",
                  "--out",
                  run.toString(),
                  "--threads",
                  "" + threads,
                  "--plugins",
                  plugins.toString(),
                  "--set",
                  "training.callbacks=[{type: pause_for_signal}]"));
      pb.environment().put(PAUSE_ENV, "" + PAUSE_STEP);
      pb.redirectOutput(run.resolveSibling(run.getFileName() + ".out").toFile());
      Paused p = new Paused(pb.start());
      boolean held = false;
      try {
        // generous: the data and JIT of a busy machine; the hold itself does not depend on it
        assertThat(p.paused.get(300, TimeUnit.SECONDS))
            .isEqualTo("paused after step " + PAUSE_STEP + " (epoch 2)");
        held = true;
      } catch (ExecutionException e) {
        throw new AssertionError(e.getCause().getMessage());
      } finally {
        if (!held) {
          p.close();
        }
      }
      return p;
    }

    /** Everything the run wrote on stderr, once it has ended. */
    String stderr() throws InterruptedException {
      reader.join(TimeUnit.SECONDS.toMillis(60));
      return err.toString();
    }

    @Override
    public void close() {
      if (process.isAlive()) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    }
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
