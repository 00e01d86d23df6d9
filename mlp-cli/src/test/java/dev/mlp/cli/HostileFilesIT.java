package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Special and huge files, and messages that must name what failed (issue 12, items 14 and 15),
 * through the real process: each is one line naming the file, exit code 2, and nothing hangs.
 */
class HostileFilesIT {
  @TempDir static Path dir;
  static Path run;

  @BeforeAll
  static void oneEpoch() throws Exception {
    run = dir.resolve("run");
    MlpProcess.Result r = MlpProcess.trainSeed(1, "--out", run.toString());
    assertThat(r.exit()).as(r.err()).isZero();
  }

  private static Path fifo(String name) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    assertThat(new ProcessBuilder("mkfifo", p.toString()).start().waitFor()).isZero();
    return p;
  }

  /** A copy of the one-epoch run, to damage. */
  private static Path copyOfRun(String name) throws Exception {
    Path copy = dir.resolve(name);
    Files.createDirectories(copy.resolve("checkpoints"));
    for (String f : new String[] {"config.yaml", "metrics.jsonl", "checkpoints/last.safetensors"}) {
      Files.copy(run.resolve(f), copy.resolve(f));
    }
    return copy;
  }

  private static void assertOneLine(MlpProcess.Result r, String line) {
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.errLines()).containsExactly("mlp: error: " + line);
  }

  @Test
  void fifosAndDevicesAreRefusedWithoutBeingOpened() throws Exception {
    Path config = fifo("pipe.yaml");
    assertOneLine(
        MlpProcess.run("config", "validate", config.toString()),
        config
            + ": is a FIFO (named pipe), not a regular file; expected a config file (mlp reads only"
            + " regular files)");
    assertOneLine(
        MlpProcess.run("train", "--config", "/dev/zero"),
        "/dev/zero: is a character device, not a regular file; expected a config file (mlp reads"
            + " only regular files)");
    Path checkpoint = fifo("pipe.safetensors");
    for (String command : new String[] {"eval", "predict"}) {
      MlpProcess.Result r =
          command.equals("eval")
              ? MlpProcess.run("eval", "--checkpoint", checkpoint.toString())
              : MlpProcess.run("predict", "--checkpoint", checkpoint.toString(), "x.png");
      assertOneLine(
          r,
          checkpoint
              + ": is a FIFO (named pipe), not a regular file; expected a checkpoint file (mlp"
              + " reads only regular files)");
    }
    Path jar = fifo("plugins/evil.jar");
    assertOneLine(
        MlpProcess.run("layers", "--plugins", jar.getParent().toString()),
        jar
            + ": is a FIFO (named pipe), not a regular file; expected a plugin jar (mlp reads only"
            + " regular files)");
  }

  /** Sparse files: gigabytes claimed, no disk used, and never read into memory. */
  @Test
  void hugeConfigsAndMetricsLogsAreRefusedByTheirBounds() throws Exception {
    Path config = dir.resolve("huge.yaml");
    try (RandomAccessFile f = new RandomAccessFile(config.toFile(), "rw")) {
      f.setLength(3L << 30);
    }
    assertOneLine(
        MlpProcess.run("config", "validate", config.toString()),
        config + ": is 3.0 GB; a config file may be at most 1.0 MB");

    Path huge = copyOfRun("huge-log");
    long lines = Files.readAllLines(huge.resolve("metrics.jsonl")).size();
    try (RandomAccessFile f = new RandomAccessFile(huge.resolve("metrics.jsonl").toFile(), "rw")) {
      f.setLength(3L << 30); // zeros after the log: one endless line
    }
    String tooLong =
        huge.resolve("metrics.jsonl")
            + ":"
            + (lines + 1)
            + ": a line longer than 1.0 MB; not a metrics log that mlp wrote";
    assertOneLine(MlpProcess.run("report", huge.toString()), tooLong);
    assertOneLine(MlpProcess.run("train", "--resume", huge.toString(), "--epochs", "2"), tooLong);
  }

  @Test
  void aMetricsLogThatIsNotUtf8IsNamedByItsLine() throws Exception {
    Path bad = copyOfRun("latin1-log");
    long lines = Files.readAllLines(bad.resolve("metrics.jsonl")).size();
    Files.write(
        bad.resolve("metrics.jsonl"),
        "{\"kind\":\"note\",\"text\":\"caf\u00e9\"}\n"
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
        StandardOpenOption.APPEND);
    Files.writeString(bad.resolve("metrics.jsonl"), "{}\n", StandardOpenOption.APPEND);
    assertOneLine(
        MlpProcess.run("report", bad.toString()),
        bad.resolve("metrics.jsonl")
            + ":"
            + (lines + 1)
            + ": not UTF-8 text; not a metrics log that mlp wrote");
  }

  @Test
  void aCacheFolderThatCannotBeMadeIsBlamedOnTheCacheNotOnTheSources() throws Exception {
    MlpProcess.Result r =
        MlpProcess.trainSeed(
            Map.of("MLP_HOME", "/proc/mlp-cache"), 1, "--out", dir.resolve("x").toString());
    assertOneLine(
        r,
        "/proc/mlp-cache/mnist: cannot use it as the data cache (no such file or folder); set"
            + " MLP_HOME to a folder you may write (default: ~/.cache/mlp)");
  }

  @Test
  void aReportUnderAFileSizeLimitNamesTheFileItCouldNotWrite() throws Exception {
    Path limited = copyOfRun("limited");
    ProcessBuilder pb =
        MlpProcess.command().command("bash", "-c", "ulimit -f 20 && exec ./mlp report " + limited);
    Path err = dir.resolve("limited.err");
    Process p =
        pb.redirectError(err.toFile()).redirectOutput(dir.resolve("limited.out").toFile()).start();
    assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(Files.readAllLines(err))
        .singleElement()
        .asString()
        .matches(
            "mlp: error: "
                + java.util.regex.Pattern.quote(limited.toString())
                + "/[a-z]+\\.(png|html): cannot write: File too large");
    // nothing half-written under a report's name
    try (var files = Files.list(limited)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .noneMatch(n -> n.endsWith(".tmp") || n.endsWith(".png") || n.endsWith(".html"));
    }
  }

  /** The documented maximum width, given to a JVM of 512 MB: refused with the figure, no trace. */
  @Test
  void aModelTooBigForTheMemoryIsRefusedWithTheFigureBeforeAllocating() throws Exception {
    Map<String, String> small = Map.of("MLP_JAVA_OPTS", "-Xmx512m");
    String expected =
        "mlp: error: "
            + java.util.regex.Pattern.quote(MlpProcess.SEED_CONFIG)
            + ":\\d+:\\d+: model.layers\\[0\\]: the model needs about \\d+\\.\\d GB of memory to train"
            + " \\(833,617,930 parameters, 823,132,160 of them in model.layers\\[0\\]\\) but Java may use"
            + " only \\d+ MB more; make it smaller, or .*";
    String units = "model.layers[0].units=1048576";
    MlpProcess.Result validate =
        MlpProcess.run(small, 120, "config", "validate", MlpProcess.SEED_CONFIG, "--set", units);
    assertThat(validate.exit()).as(validate.err()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(validate.errLines()).singleElement().asString().matches(expected);
    MlpProcess.Result train =
        MlpProcess.trainSeed(small, 1, "--set", units, "--out", dir.resolve("huge").toString());
    assertThat(train.exit()).as(train.err()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(train.errLines()).singleElement().asString().matches(expected);
    assertThat(dir.resolve("huge")).doesNotExist();

    // a small checkpoint whose stored config claims the width
    Path lying = dir.resolve("lying.safetensors");
    var c = dev.mlp.run.checkpoint.Safetensors.read(run.resolve("checkpoints/last.safetensors"));
    Map<String, String> meta = new java.util.LinkedHashMap<>(c.metadata());
    meta.put("config", meta.get("config").replace("units: 128", "units: 1048576"));
    dev.mlp.run.checkpoint.Safetensors.write(
        lying, meta, java.util.List.copyOf(c.tensors().values()));
    MlpProcess.Result predict =
        MlpProcess.run(small, 120, "predict", "--checkpoint", lying.toString(), "x.png");
    assertThat(predict.exit()).as(predict.err()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(predict.errLines())
        .singleElement()
        .asString()
        .startsWith("mlp: error: " + lying + ": its config says the model needs about ");
  }

  /** An --out that cannot be made says why, not just its name. */
  @Test
  void aRunFolderThatCannotBeMadeSaysWhy() throws Exception {
    assertOneLine(
        MlpProcess.trainSeed(1, "--out", "/proc/mlpout"),
        "/proc/mlpout: cannot create the run folder: no such file or folder");
  }

  /**
   * The suite's preconditions are checked in seconds: without numpy or any way to get MNIST, each
   * is one line saying what to install or where to put the files.
   */
  @Test
  void theTestPreconditionsNameWhatIsMissing() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    for (String tool : new String[] {"python3", "npm"}) {
      Path fake = bin.resolve(tool);
      Files.writeString(fake, "#!/bin/sh\nexit 1\n");
      fake.toFile().setExecutable(true);
    }
    Path empty = Files.createDirectories(dir.resolve("empty-home"));
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            MlpProcess.REPO.resolve("tools/TestPreconditions.java").toString());
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("MLP_HOME", empty.toString());
    Path out = dir.resolve("preconditions.txt");
    Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    String text = Files.readString(out);
    assertThat(text)
        .startsWith("mlp's tests cannot run on this machine yet; missing:\n")
        .contains(
            "  - Python's numpy (UseModelIT reads a checkpoint with it as a Python user would):"
                + " install it (apt-get install python3-numpy)\n");
    // MNIST's mirrors may be reachable from some machines: then it is not missing
    if (text.contains("  - MNIST")) {
      assertThat(text).contains("put the four files").contains(empty.resolve("mnist").toString());
    }
  }
}
