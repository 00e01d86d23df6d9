package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run folder belongs to one process at a time, and a resume changes nothing the user had until it
 * trains (issue 12, items 10 and 11), through the real process.
 */
class RunFolderIT {
  @TempDir Path dir;

  private static final Pattern HOLDER = Pattern.compile("mlp process (\\d+) \\(([^)]*)\\)");

  /** A one-epoch seed run in {@code run}. */
  private static void trainOneEpoch(Path run) throws Exception {
    MlpProcess.Result r = MlpProcess.trainSeed(1, "--out", run.toString());
    assertThat(r.exit()).as(r.err()).isZero();
  }

  /**
   * Starts {@code mlp train --resume run --epochs epochs} and returns once it holds the folder: its
   * header names the run folder only after it has taken the lock.
   */
  private Process resumeHolding(Path run, int epochs, Path out) throws Exception {
    Process p =
        MlpProcess.start(
            out,
            dir.resolve("holder-err.txt"),
            "train",
            "--resume",
            run.toString(),
            "--epochs",
            "" + epochs,
            "--no-progress");
    for (int i = 0; i < 12_000 && !Files.readString(out).contains("run: "); i++) {
      assertThat(p.isAlive()).as(Files.readString(dir.resolve("holder-err.txt"))).isTrue();
      Thread.sleep(10);
    }
    assertThat(Files.readString(out)).contains("run: " + run);
    return p;
  }

  /** The process id the lock file names. */
  private static long holderPid(Path run) throws Exception {
    Matcher m = HOLDER.matcher(Files.readString(run.resolve(".mlp-lock"), StandardCharsets.UTF_8));
    assertThat(m.find()).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void aSecondResumeOrAReportOfARunThatTrainsIsRefusedNamingTheHolder() throws Exception {
    Path run = dir.resolve("run");
    trainOneEpoch(run);
    Process holder = resumeHolding(run, 50, dir.resolve("holder-out.txt"));
    long pid = holderPid(run);
    try {
      MlpProcess.Result second = MlpProcess.run("train", "--resume", run.toString());
      assertThat(second.exit()).as(second.err()).isEqualTo(ExitCode.BUSY);
      assertThat(second.errLines())
          .singleElement()
          .asString()
          .matches(
              "mlp: error: "
                  + Pattern.quote(run.toString())
                  + ": in use by mlp process "
                  + pid
                  + " \\(mlp train --resume, since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\);"
                  + " wait for it to end, or stop it");
      MlpProcess.Result report = MlpProcess.run("report", run.toString());
      assertThat(report.exit()).as(report.err()).isEqualTo(ExitCode.BUSY);
      assertThat(report.err()).contains("in use by mlp process " + pid);
      // a report of the live run into a folder of its own reads it and is not refused
      MlpProcess.Result elsewhere =
          MlpProcess.run("report", run.toString(), "--out", dir.resolve("rep").toString());
      assertThat(elsewhere.exit()).as(elsewhere.err()).isZero();
    } finally {
      // kill -9 of the JVM itself: the operating system releases its lock
      new ProcessBuilder("kill", "-9", "" + pid).start().waitFor();
      holder.waitFor(60, TimeUnit.SECONDS);
    }
    // the lock went with the process: the folder can be written again
    MlpProcess.Result after = MlpProcess.run("report", run.toString());
    assertThat(after.exit()).as(after.err()).isZero();
    var epochs =
        Files.readAllLines(run.resolve("metrics.jsonl")).stream()
            .filter(l -> l.contains("\"kind\":\"epoch\""))
            .map(l -> l.replaceAll(".*\"epoch\":(\\d+),.*", "$1"))
            .toList();
    assertThat(epochs).doesNotHaveDuplicates().isNotEmpty();
  }

  @Test
  void twoTrainingsIntoOneNewFolderCannotBothStart() throws Exception {
    Path run = dir.resolve("shared");
    Path out = dir.resolve("first-out.txt");
    Process first =
        MlpProcess.start(
            out,
            dir.resolve("first-err.txt"),
            MlpProcess.trainSeedArguments(50, "--out", run.toString(), "--no-progress"));
    try {
      // the first epoch's row: training has begun (and a checkpoint exists)
      for (int i = 0; i < 12_000 && !Files.readString(out).matches("(?s).*\\n +1 +[0-9].*"); i++) {
        Thread.sleep(10);
      }
      MlpProcess.Result second = MlpProcess.trainSeed(1, "--out", run.toString());
      assertThat(second.exit()).as(second.err()).isIn(ExitCode.BAD_INPUT, ExitCode.BUSY);
      assertThat(second.errLines()).singleElement().asString().startsWith("mlp: error: " + run);
    } finally {
      first.destroy(); // SIGTERM: saved where it was
      first.waitFor(60, TimeUnit.SECONDS);
    }
    assertThat(run.resolve("checkpoints/last.safetensors")).isRegularFile();
  }

  @Test
  void anEditedConfigIsNotSilentlyUndoneByAResume() throws Exception {
    Path run = dir.resolve("edited");
    trainOneEpoch(run);
    Path config = run.resolve("config.yaml");
    String original = Files.readString(config);
    Files.writeString(config, original.replace("lr: 0.01", "lr: 0.02"));
    MlpProcess.Result r = MlpProcess.run("train", "--resume", run.toString(), "--epochs", "2");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .matches(
            "mlp: error: "
                + Pattern.quote(config.toString())
                + ":\\d+: has 'lr: 0.02' where the run's config \\(in last.safetensors\\) has 'lr:"
                + " 0.01'; a run continues with the config it was trained with, .*");
    assertThat(Files.readString(config)).isEqualTo(original.replace("lr: 0.01", "lr: 0.02"));
  }

  @Test
  void aResumeThatFailsChangesNoFileAndOneThatTrainsKeepsForeignLines() throws Exception {
    Path run = dir.resolve("kept");
    trainOneEpoch(run);
    Path metrics = run.resolve("metrics.jsonl");
    String note = "{\"kind\":\"note\",\"text\":\"my own line\"}";
    String withNote = Files.readString(metrics) + note + "\n";
    // the log without its epoch line does not fit the checkpoint: found only after the data and
    // the model are ready, where config.yaml used to be rewritten already
    String broken =
        withNote.lines().filter(l -> !l.contains("\"kind\":\"epoch\"")).toList().stream()
            .reduce("", (a, b) -> a + b + "\n");
    Files.writeString(metrics, broken);
    byte[] config = Files.readAllBytes(run.resolve("config.yaml"));
    MlpProcess.Result failed = MlpProcess.run("train", "--resume", run.toString(), "--epochs", "2");
    assertThat(failed.exit()).as(failed.err()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(failed.err()).contains("has 0 epoch lines up to step 1875");
    assertThat(Files.readAllBytes(run.resolve("config.yaml"))).isEqualTo(config);
    assertThat(Files.readString(metrics)).isEqualTo(broken);

    Files.writeString(metrics, withNote);
    MlpProcess.Result ok = MlpProcess.run("train", "--resume", run.toString(), "--epochs", "2");
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(Files.readString(metrics).lines()).contains(note);
    assertThat(Files.readString(run.resolve("config.yaml"))).contains("epochs: 2");
  }

  @Test
  void ctrlCSavesAndEndsWith130NamingTheCommandAsTyped() throws Exception {
    Path run = dir.resolve("interrupted");
    Path out = dir.resolve("ctrl-c-out.txt");
    Process p =
        MlpProcess.start(
            out,
            dir.resolve("ctrl-c-err.txt"),
            MlpProcess.trainSeedArguments(50, "--out", run.toString(), "--no-progress"));
    // the header names the run folder: it exists, and training may or may not have begun; either
    // way Ctrl-C from here on ends with a checkpoint
    for (int i = 0; i < 12_000 && !Files.readString(out).contains("run: "); i++) {
      Thread.sleep(10);
    }
    // what a terminal's Ctrl-C sends the launcher
    new ProcessBuilder("kill", "-INT", "" + p.pid()).start().waitFor();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(ExitCode.INTERRUPTED);
    assertThat(Files.readString(out))
        .contains(
            "; continue with: " + MlpProcess.REPO.resolve("mlp") + " train --resume " + run + "\n");
    assertThat(run.resolve("checkpoints/last.safetensors")).isRegularFile();
    MlpProcess.Result resumed =
        MlpProcess.run(
            java.util.Map.of(), 300, "train", "--resume", run.toString(), "--epochs", "1");
    assertThat(resumed.exit()).as(resumed.err()).isZero();
  }
}
