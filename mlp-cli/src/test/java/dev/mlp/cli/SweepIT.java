package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlp sweep} through the real process: a grid, its refusals, a failed trial, a resume. */
class SweepIT {
  @TempDir Path work;

  static final String[] GRID = {
    "--set",
    "optimizer.lr=0.03,0.1",
    "--set",
    "model.layers[0].units=16,32",
    "--set",
    "training.epochs=2"
  };

  static MlpProcess.Result sweep(Path out, String... more) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(List.of("sweep", "--config", MlpProcess.SEED_CONFIG));
    args.addAll(List.of(GRID));
    args.addAll(List.of("--out", out.toString()));
    args.addAll(List.of(more));
    return MlpProcess.run(Map.of(), 900, args.toArray(String[]::new));
  }

  /** trial name → test accuracy, from mlp sweep report --json. */
  static Map<String, Double> accuracies(Path sweep) throws Exception {
    MlpProcess.Result r = MlpProcess.run("sweep", "report", sweep.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    Map<String, Double> m = new HashMap<>();
    for (JsonNode o : r.jsonLines()) {
      assertThat(o.get("state").asText()).isEqualTo("done");
      m.put(o.get("trial").asText(), o.get("test_accuracy").asDouble());
    }
    return m;
  }

  @Test
  void anInterruptedSweepResumesToTheNumbersOfOneNeverStopped() throws Exception {
    Path whole = work.resolve("whole");
    MlpProcess.Result r = sweep(whole);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("4 trials of configs/mnist-2layer.yaml")
        .containsPattern("best: trial 000[0-3] \\(optimizer\\.lr=0\\.1 ");
    Map<String, Double> expected = accuracies(whole);
    assertThat(expected).hasSize(4);
    // every trial an ordinary run folder: mlp eval reads it
    MlpProcess.Result eval =
        MlpProcess.run(
            "eval",
            "--checkpoint",
            whole.resolve("trials/0003/checkpoints/last.safetensors").toString());
    assertThat(eval.exit()).as(eval.err()).isZero();
    assertThat(Files.readString(whole.resolve("trials/0003/config.yaml")))
        .contains("lr: 0.1")
        .contains("units: 32");

    // the same sweep, stopped once two trials have their first epoch's checkpoint
    Path cut = work.resolve("cut");
    List<String> args =
        new java.util.ArrayList<>(List.of("sweep", "--config", MlpProcess.SEED_CONFIG));
    args.addAll(List.of(GRID));
    args.addAll(List.of("--out", cut.toString()));
    Process p =
        MlpProcess.start(
            work.resolve("cut.out"), work.resolve("cut.err"), args.toArray(String[]::new));
    for (int i = 0; i < 3000; i++) {
      if (Files.exists(cut.resolve("trials/0000/checkpoints/last.safetensors"))
          && Files.exists(cut.resolve("trials/0001/checkpoints/last.safetensors"))) {
        break;
      }
      assertThat(p.isAlive()).as("the sweep is still running").isTrue();
      Thread.sleep(100);
    }
    p.destroy(); // SIGTERM to the launcher (which passes it on), as a scheduler or kill does
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(work.resolve("cut.err"))).isEqualTo(143);
    assertThat(Files.readString(work.resolve("cut.out")))
        .contains(
            "interrupted: continue with "
                + MlpProcess.REPO.resolve("mlp")
                + " sweep --resume "
                + cut);
    MlpProcess.Result resumed = MlpProcess.run(Map.of(), 900, "sweep", "--resume", cut.toString());
    assertThat(resumed.exit()).as(resumed.err()).isZero();
    assertThat(accuracies(cut)).isEqualTo(expected);
  }

  @Test
  void aFailingTrialIsRecordedAndTheOthersFinish() throws Exception {
    Path dir = work.resolve("failing");
    MlpProcess.Result r =
        MlpProcess.run(
            Map.of(),
            900,
            "sweep",
            "--config",
            MlpProcess.SEED_CONFIG,
            "--set",
            "optimizer.lr=0.1,1e6",
            "--set",
            "training.epochs=1",
            "--out",
            dir.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    MlpProcess.Result report = MlpProcess.run("sweep", "report", dir.toString(), "--json");
    List<JsonNode> trials = report.jsonLines();
    assertThat(trials).hasSize(2);
    assertThat(trials.get(0).get("state").asText()).isEqualTo("done");
    assertThat(trials.get(1).get("state").asText()).isEqualTo("failed");
    assertThat(trials.get(1).get("error").asText()).contains("training diverged");
    assertThat(r.out()).containsPattern("0001 +1e6 +1 +failed");
  }

  @Test
  void badSweepsAreOneLineExitCode2AndLeaveNoFolder() throws Exception {
    String[][] cases = {
      {"--set", "optimizer.lrr=0.1,0.2"},
      {"--set", "optimizer.lr="},
      {"--set", "optimizer.lr=[0.1,0.2"},
      {"--set", "optimizer.lr=0.1", "--parallel", "64", "--threads", "64"},
      {"--set", "optimizer.lr=0.1", "--direction", "up"},
    };
    String[] expected = {
      "mlp: error: sweep trial 0000 (optimizer.lrr=0.1): configs/mnist-2layer.yaml:",
      "mlp: error: the axis optimizer.lr has no values",
      "mlp: error: --set optimizer.lr: an unclosed bracket in 'optimizer.lr=[0.1,0.2'",
      "mlp: error: --parallel 64 × --threads 64 = 4096 threads on ",
      "mlp: error: --direction must be max or min, got up",
    };
    for (int i = 0; i < cases.length; i++) {
      Path dir = work.resolve("bad" + i);
      List<String> args =
          new java.util.ArrayList<>(
              List.of("sweep", "--config", MlpProcess.SEED_CONFIG, "--out", dir.toString()));
      args.addAll(List.of(cases[i]));
      MlpProcess.Result r = MlpProcess.run(args.toArray(String[]::new));
      assertThat(r.exit()).as(String.join(" ", cases[i])).isEqualTo(2);
      assertThat(r.errLines()).hasSize(1);
      assertThat(r.errLines().get(0)).startsWith(expected[i]);
      assertThat(dir).doesNotExist();
    }
    try (var left = Files.list(work)) {
      assertThat(left).as("no half-made sweep folder").isEmpty();
    }
    MlpProcess.Result notASweep = MlpProcess.run("sweep", "report", work.toString());
    assertThat(notASweep.exit()).isEqualTo(2);
    assertThat(notASweep.errLines())
        .containsExactly("mlp: error: " + work + ": not a sweep folder (no sweep.json)");
  }
}
