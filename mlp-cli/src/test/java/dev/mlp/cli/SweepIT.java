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
    // mlp sweep report is asked for the report: one it cannot write is an error, not exit 0
    Path reportDir = dir.resolve("report");
    try (var files = Files.list(reportDir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(reportDir);
    Files.writeString(reportDir, "the user's own file");
    MlpProcess.Result blocked = MlpProcess.run("sweep", "report", dir.toString());
    assertThat(blocked.exit()).as(blocked.out()).isEqualTo(2);
    assertThat(blocked.err().strip())
        .doesNotContain("\n")
        .contains(reportDir + ": the report cannot be written");
    assertThat(Files.readString(reportDir)).isEqualTo("the user's own file");
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

  @Test
  void theRandomSweepFileDrawsItsTrialsPrunesTheLaggardAndWritesItsReport() throws Exception {
    Path dir = work.resolve("random");
    MlpProcess.Result r =
        MlpProcess.run(
            Map.of(), 900, "sweep", "--file", "sweeps/mnist-random.yaml", "--out", dir.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("8 trials of ")
        .contains("random search: optimizer.lr ~ {\"log_uniform\":[0.003,0.3]}")
        .contains("pruner median")
        .contains("report: " + dir.toAbsolutePath().resolve("report/index.html"));
    // seed 7 draws the same trials on every machine
    assertThat(r.out())
        .contains("0000 optimizer.lr=0.01806 model.layers[0].units=32 training.epochs=3")
        .contains("0007 optimizer.lr=0.004904 model.layers[0].units=128 training.epochs=3");
    MlpProcess.Result report = MlpProcess.run("sweep", "report", dir.toString(), "--json");
    Map<String, JsonNode> byTrial = new HashMap<>();
    for (JsonNode o : report.jsonLines()) {
      byTrial.put(o.get("trial").asText(), o);
    }
    assertThat(byTrial).hasSize(8);
    // the slowest learning rate starts once six trials have ended, and falls below their median
    JsonNode slow = byTrial.get("0007");
    assertThat(slow.get("state").asText()).isEqualTo("pruned");
    assertThat(slow.get("epochs").asInt()).isEqualTo(2);
    assertThat(slow.get("error").asText()).contains("is below the median");
    assertThat(byTrial.values().stream().filter(o -> o.get("state").asText().equals("done")))
        .isNotEmpty();
    // a pruned trial is an ordinary run folder too, stopped at the end of its epoch 2
    MlpProcess.Result eval =
        MlpProcess.run(
            "eval",
            "--checkpoint",
            dir.resolve("trials/0007/checkpoints/last.safetensors").toString());
    assertThat(eval.exit()).as(eval.err()).isZero();
    try (var files = Files.list(dir.resolve("report"))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .contains(
              "index.html",
              "curves.png",
              "metric-vs-optimizer.lr.png",
              "metric-vs-model.layers_0_.units.png");
    }
    assertThat(Files.readString(dir.resolve("report/index.html"))).contains("0007");

    MlpProcess.Result status = MlpProcess.run("sweep", "status", dir.toString());
    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out())
        .containsPattern(
            "8 trials: \\d done, 0 running, 0 failed, \\d pruned, 0 unfinished, 0 pending")
        .contains("best so far: trial ");
    // finished: --resume has nothing left to run and ends with the same table
    MlpProcess.Result again = MlpProcess.run("sweep", "--resume", dir.toString());
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out()).contains("0007  ").doesNotContain("[1/");
  }

  @Test
  void statusTellsRunningTrialsFromOnesAKilledSweepLeft() throws Exception {
    Path dir = work.resolve("live");
    // far more epochs than the test waits for: the trial is still running when status looks,
    // however fast the machine, and the test stops it itself
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "sweep",
                "--config",
                MlpProcess.SEED_CONFIG,
                "--set",
                "optimizer.lr=0.03,0.1",
                "--set",
                "training.epochs=100000",
                "--parallel",
                "1",
                "--out",
                dir.toString()));
    Process p =
        MlpProcess.start(
            work.resolve("live.out"), work.resolve("live.err"), args.toArray(String[]::new));
    MlpProcess.Result running;
    try {
      for (int i = 0; i < 3000; i++) {
        if (Files.exists(dir.resolve("trials/0000/checkpoints/last.safetensors"))) {
          break;
        }
        Thread.sleep(100);
      }
      running = MlpProcess.run("sweep", "status", dir.toString());
    } finally {
      // kill -9 the sweep's JVM itself (the launcher script's child; killing only the script
      // left the JVM running, and it started the next trial), then the script
      for (ProcessHandle h : p.toHandle().children().toList()) {
        h.destroyForcibly();
        h.onExit().get(60, TimeUnit.SECONDS);
      }
      p.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
      // the trial's own process outlives a kill -9 of the sweep: stop it as Ctrl-C would
      for (ProcessHandle h : ProcessHandle.allProcesses().toList()) {
        if (h.info().commandLine().orElse("").contains("run-trial")
            && h.info().commandLine().orElse("").contains(dir.toString())) {
          h.destroy();
          h.onExit().get(60, TimeUnit.SECONDS);
        }
      }
    }
    assertThat(running.exit()).as(running.err()).isZero();
    assertThat(running.out())
        .contains("2 trials: 0 done, 1 running, 0 failed, 0 pruned, 0 unfinished, 1 pending")
        .containsPattern(
            "0000 optimizer.lr=0.03 training.epochs=100000: epoch \\d+ of 100000 \\(process"
                + " \\d+\\)");
    MlpProcess.Result left = MlpProcess.run("sweep", "status", dir.toString());
    assertThat(left.out())
        .contains("2 trials: 0 done, 0 running, 0 failed, 0 pruned, 1 unfinished, 1 pending");
  }

  @Test
  void badSweepFilesAreOneLineNamingTheFileAndLeaveNoFolder() throws Exception {
    String seed = MlpProcess.REPO.resolve(MlpProcess.SEED_CONFIG).toString();
    String[][] cases = {
      {"budget: 0\naxes: {optimizer.lr: [0.1]}", "budget: must be at least 1, got 0"},
      {"axes: {optimizer.lr: []}", "axes.optimizer.lr: has no values: an empty list"},
      {"axes: {optimizer.lrr: [0.1]}", "sweep trial 0000 (optimizer.lrr=0.1): "},
      {
        "axes: {optimizer.lr: {log_uniform: [0.001, 0.1]}}",
        "axes.optimizer.lr: log_uniform draws values for search: random"
      },
      {"search: random\naxes: {optimizer.lr: [0.1]}", "budget: search: random needs a budget"},
      {
        "axes: {optimizer.lr: {log_uniform: [0, 0.1]}}\nsearch: random\nbudget: 2",
        "axes.optimizer.lr.log_uniform: low must be above 0"
      },
      {"budget: 2\naxes: {optimizer.lr: [0.1, 0.2, 0.3]}", "the grid has 3 trials, more than"},
      {"axes: {optimizer.lr: [0.1]}\nlauncher: {type: slrum}", "unknown launcher type 'slrum'"},
      {"axes: {optimizer.lr: [0.1]}\nbudgett: 3", "unknown field 'budgett'"},
      {"axes: {optimizer.lr: [0.1]}\npruner: {type: mean}", "pruner: type must be median or"},
      {
        "search: random\nbudget: 2\naxes: {training.epochs: {int_uniform: [0, 9223372036854775807]}}",
        "axes.training.epochs.int_uniform: the range is too wide to draw from"
      },
    };
    for (int i = 0; i < cases.length; i++) {
      Path file = work.resolve("bad" + i + ".yaml");
      Files.writeString(file, "config: " + seed + "\n" + cases[i][0] + "\n");
      Path dir = work.resolve("out" + i);
      MlpProcess.Result r =
          MlpProcess.run("sweep", "--file", file.toString(), "--out", dir.toString());
      assertThat(r.exit()).as(cases[i][0] + "\n" + r.err()).isEqualTo(2);
      assertThat(r.errLines()).as(cases[i][0]).hasSize(1);
      assertThat(r.errLines().get(0)).as(cases[i][0]).contains(cases[i][1]);
      if (i != 2) {
        assertThat(r.errLines().get(0)).as(cases[i][0]).contains(file.toString());
      }
      assertThat(dir).doesNotExist();
    }
  }

  @Test
  void theLrWidthSweepFilePlansItsGridAndAMissingSbatchLeavesItResumable() throws Exception {
    Path dir = work.resolve("lr-width");
    // PATH without Slurm's commands: the 36 trials are planned and checked, then sbatch is missing
    Path bin = Files.createDirectories(work.resolve("bin-without-slurm"));
    for (String d : System.getenv("PATH").split(":")) {
      Path folder = Path.of(d.isEmpty() ? "." : d);
      if (!Files.isDirectory(folder)) {
        continue;
      }
      try (var files = Files.list(folder)) {
        for (Path f : files.toList()) {
          String name = f.getFileName().toString();
          Path link = bin.resolve(name);
          if (!List.of("sbatch", "squeue", "scancel", "sinfo", "srun").contains(name)
              && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(link, f.toAbsolutePath());
          }
        }
      }
    }
    MlpProcess.Result r =
        MlpProcess.run(
            Map.of("PATH", bin.toString()),
            300,
            "sweep",
            "--file",
            "sweeps/mnist-lr-width.yaml",
            "--launcher",
            "slurm",
            "--out",
            dir.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.out())
        .contains(
            "36 trials of configs/mnist-2layer.yaml (optimizer.lr × 4, model.layers[0].units × 3, seed × 3), launcher slurm");
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0))
        .startsWith("mlp: error: sbatch cannot be run (")
        .endsWith(" sweep --resume " + dir.toAbsolutePath());
    JsonNode plan =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(dir.resolve("sweep.json").toFile());
    assertThat(plan.get("trials")).hasSize(36);
    assertThat(plan.get("trials").get(35).get("overrides").toString())
        .isEqualTo("{\"optimizer.lr\":\"0.1\",\"model.layers[0].units\":\"256\",\"seed\":\"3\"}");
    // the launcher the command line chose is kept over the file's, for a plain --resume
    assertThat(plan.get("launcher").get("type").asText()).isEqualTo("slurm");
    assertThat(plan.get("threads").asInt()).isEqualTo(1);
  }
}
