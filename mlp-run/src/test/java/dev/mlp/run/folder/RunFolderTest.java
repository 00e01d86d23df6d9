package dev.mlp.run.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlp.core.train.EpochMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  private static String step(int epoch, long step) {
    return "{\"kind\":\"step\",\"epoch\":"
        + epoch
        + ",\"step\":"
        + step
        + ",\"loss\":0.5,\"accuracy\":0.75,\"lr\":0.01,\"samples_per_second\":1000.0}";
  }

  private static String epoch(int epoch, long steps, boolean validation) {
    return "{\"kind\":\"epoch\",\"epoch\":"
        + epoch
        + ",\"steps\":"
        + steps
        + ",\"loss\":0."
        + (60 - epoch)
        + ",\"train_accuracy\":0.8"
        + epoch
        + ",\"test_loss\":0.4"
        + epoch
        + ",\"test_accuracy\":0.9"
        + epoch
        + (validation
            ? ",\"validation_loss\":0.3" + epoch + ",\"validation_accuracy\":0.7" + epoch
            : "")
        + ",\"lr\":0.005,\"seconds\":2.5,\"eval_seconds\":0.125}";
  }

  /** Two epochs of 10 steps with a step line every 4 steps, the second with validation. */
  private static final List<String> TWO_EPOCHS =
      List.of(
          step(1, 4),
          step(1, 8),
          epoch(1, 10, false),
          step(2, 12),
          step(2, 16),
          step(2, 20),
          epoch(2, 20, true));

  private RunFolder runWithMetrics(String text) throws IOException {
    RunFolder run = RunFolder.create(tmp.resolve("run"), "mnist");
    Files.writeString(run.metrics(), text);
    return run;
  }

  private static String lines(List<String> lines) {
    return String.join("\n", lines) + "\n";
  }

  /** Every file under {@code dir} with its bytes, to compare before and after. */
  private static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.toList()) {
        files.put(
            dir.relativize(p).toString(),
            Files.isDirectory(p) ? "<dir>" : Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    return files;
  }

  @Test
  void createMakesAMissingFolderWithItsCheckpointsFolder() throws IOException {
    Path out = tmp.resolve("a").resolve("b");
    try (RunFolder run = RunFolder.create(out, "mnist-2layer")) {
      assertThat(run.dir()).isEqualTo(out);
      assertThat(out.resolve("checkpoints")).isDirectory();
      assertThat(run.last()).isEqualTo(out.resolve("checkpoints/last.safetensors"));
      assertThat(run.metrics()).doesNotExist();
    }
  }

  @Test
  void createUsesAnEmptyFolderOrOneWithoutARun() throws IOException {
    Path out = Files.createDirectories(tmp.resolve("empty"));
    Files.writeString(out.resolve("notes.txt"), "mine");
    RunFolder.create(out, "x").close();
    assertThat(out.resolve("checkpoints")).isDirectory();
    assertThat(out.resolve("notes.txt")).hasContent("mine");
  }

  @Test
  void createRefusesAFolderThatHoldsAMetricsLogAndChangesNothing() throws IOException {
    Path out = Files.createDirectories(tmp.resolve("old"));
    Files.writeString(out.resolve("metrics.jsonl"), lines(TWO_EPOCHS));
    Files.writeString(out.resolve("config.yaml"), "name: old\n");
    Map<String, String> before = snapshot(out);
    assertThatThrownBy(() -> RunFolder.create(out, "new"))
        .isInstanceOf(RunException.class)
        .hasMessage(
            out
                + ": already holds a run; continue it with --resume "
                + out
                + " or choose another --out folder");
    assertThat(snapshot(out)).isEqualTo(before); // in particular: no checkpoints/ made
  }

  @Test
  void createRefusesAFolderThatHoldsCheckpoints() throws IOException {
    Path out = Files.createDirectories(tmp.resolve("old").resolve("checkpoints")).getParent();
    Files.writeString(out.resolve("checkpoints/last.safetensors"), "weights");
    Map<String, String> before = snapshot(out);
    assertThatThrownBy(() -> RunFolder.create(out, "new"))
        .isInstanceOf(RunException.class)
        .hasMessageContaining("already holds a run")
        .hasMessageContaining("--resume " + out);
    assertThat(snapshot(out)).isEqualTo(before);
  }

  @Test
  void createRefusesAFolderHoldingAFileTheRunWouldOverwriteAndChangesNothing() throws IOException {
    for (String name : RunFolder.WRITTEN) {
      Path out = Files.createDirectories(tmp.resolve("project-" + name));
      Files.writeString(out.resolve(name), "the user's own " + name);
      Map<String, String> before = snapshot(out);
      assertThatThrownBy(() -> RunFolder.create(out, "new"))
          .isInstanceOf(RunException.class)
          .hasMessage(
              out
                  + ": --out holds "
                  + name
                  + ", which the run would overwrite; choose a new or empty folder"
                  + " (files of other names may stay)");
      assertThat(snapshot(out)).isEqualTo(before);
    }
  }

  @Test
  void discardRemovesWhatTheRunWroteAndAFolderItMadeButNothingElse() throws IOException {
    Path made = tmp.resolve("made");
    RunFolder a = RunFolder.create(made, "x");
    a.writeConfig("name: x\n");
    a.append(new StepLine(1, 1, Map.of("loss", 1.0), 0.1));
    assertThat(a.discard()).isTrue();
    assertThat(made).doesNotExist();

    Path mine = Files.createDirectories(tmp.resolve("mine"));
    Files.writeString(mine.resolve("notes.txt"), "mine");
    RunFolder b = RunFolder.create(mine, "x");
    b.writeConfig("name: x\n");
    assertThat(b.discard()).isFalse();
    assertThat(snapshot(mine)).isEqualTo(Map.of("", "<dir>", "notes.txt", "mine"));
  }

  @Test
  void createRefusesAFile() throws IOException {
    Path file = Files.writeString(tmp.resolve("model.yaml"), "name: x\n");
    assertThatThrownBy(() -> RunFolder.create(file, "x"))
        .isInstanceOf(RunException.class)
        .hasMessage(file + ": --out must be a folder, but this is a file");
    assertThat(file).hasContent("name: x");
  }

  @Test
  void logAppendsOneJsonLinePerCall() throws IOException {
    Path out = tmp.resolve("run");
    try (RunFolder run = RunFolder.create(out, "x")) {
      run.log(JSON.createObjectNode().put("kind", "step").put("step", 1));
      // readable while the run goes on: each line is flushed
      assertThat(run.metrics()).hasContent("{\"kind\":\"step\",\"step\":1}");
      run.log(JSON.createObjectNode().put("kind", "step").put("step", 2));
    }
    try (RunFolder again = RunFolder.open(out)) {
      again.log(JSON.createObjectNode().put("kind", "step").put("step", 3));
    }
    assertThat(Files.readString(out.resolve("metrics.jsonl")))
        .isEqualTo(
            "{\"kind\":\"step\",\"step\":1}\n"
                + "{\"kind\":\"step\",\"step\":2}\n"
                + "{\"kind\":\"step\",\"step\":3}\n");
  }

  @Test
  void anEpochLineIsReadBackAsTheSameMetrics() throws IOException {
    EpochMetrics withValidation =
        new EpochMetrics(3, 5625, 0.25, 0.9, 0.3, 0.91, 2.5, 0.125, 0.005, 0.28, 0.92);
    EpochMetrics without =
        new EpochMetrics(4, 7500, 0.2, 0.95, 0.27, 0.93, 2.25, 0.1, 0.0025, Double.NaN, Double.NaN);
    try (RunFolder run = RunFolder.create(tmp.resolve("run"), "x")) {
      run.append(withValidation);
      run.append(without);
      assertThat(run.keepMetricsUpTo(7500)).containsExactly(withValidation, without);
      run.cutMetrics();
      List<String> written = Files.readAllLines(run.metrics());
      assertThat(written.get(0)).contains("\"validation_accuracy\":0.92");
      assertThat(written.get(1)).doesNotContain("NaN").doesNotContain("validation");
    }
  }

  @Test
  void keepMetricsUpToKeepsExactlyTheLinesAtOrBeforeTheStep() throws IOException {
    RunFolder run = runWithMetrics(lines(TWO_EPOCHS));
    List<EpochMetrics> epochs = run.keepMetricsUpTo(16);
    // nothing is cut until the resumed run writes: a resume that fails leaves the log as it was
    assertThat(Files.readAllLines(run.metrics())).isEqualTo(TWO_EPOCHS);
    run.cutMetrics();
    assertThat(Files.readAllLines(run.metrics()))
        .containsExactly(step(1, 4), step(1, 8), epoch(1, 10, false), step(2, 12), step(2, 16));
    assertThat(epochs)
        .containsExactly(
            new EpochMetrics(
                1, 10, 0.59, 0.81, 0.41, 0.91, 2.5, 0.125, 0.005, Double.NaN, Double.NaN));
    assertThat(epochs.get(0).hasValidation()).isFalse();
  }

  @Test
  void keepMetricsUpToTheLastStepKeepsEverything() throws IOException {
    RunFolder run = runWithMetrics(lines(TWO_EPOCHS));
    List<EpochMetrics> epochs = run.keepMetricsUpTo(20);
    run.cutMetrics();
    assertThat(Files.readAllLines(run.metrics())).isEqualTo(TWO_EPOCHS);
    assertThat(epochs).extracting(EpochMetrics::epoch).containsExactly(1, 2);
    EpochMetrics second = epochs.get(1);
    assertThat(second.validationLoss()).isEqualTo(0.32);
    assertThat(second.validationAccuracy()).isEqualTo(0.72);
    assertThat(second.steps()).isEqualTo(20);
  }

  @Test
  void keepMetricsUpToAnEpochBoundaryDropsTheNextEpoch() throws IOException {
    RunFolder run = runWithMetrics(lines(TWO_EPOCHS));
    assertThat(run.keepMetricsUpTo(10)).hasSize(1);
    run.cutMetrics();
    assertThat(Files.readAllLines(run.metrics()))
        .containsExactly(step(1, 4), step(1, 8), epoch(1, 10, false));
    assertThat(run.keepMetricsUpTo(0)).isEmpty();
    run.cutMetrics();
    assertThat(run.metrics()).isEmptyFile();
  }

  @Test
  void keepMetricsUpToWithoutALogIsNoEpochs() throws IOException {
    RunFolder run = RunFolder.create(tmp.resolve("run"), "x");
    assertThat(run.keepMetricsUpTo(100)).isEmpty();
  }

  @Test
  void aLineCutShortByAKillIsDropped() throws IOException {
    String torn = step(2, 24).substring(0, 30);
    RunFolder run = runWithMetrics(lines(TWO_EPOCHS) + torn);
    assertThat(run.keepMetricsUpTo(100)).hasSize(2);
    run.cutMetrics();
    assertThat(Files.readAllLines(run.metrics())).isEqualTo(TWO_EPOCHS);
  }

  @Test
  void aBadLineInTheMiddleIsReportedWithItsLineNumber() throws IOException {
    List<String> damaged = new ArrayList<>(TWO_EPOCHS);
    damaged.set(3, step(2, 12).substring(0, 30));
    String text = lines(damaged);
    RunFolder run = runWithMetrics(text);
    assertThatThrownBy(() -> run.keepMetricsUpTo(100))
        .isInstanceOf(RunException.class)
        .hasMessage(run.metrics() + ":4: expected one JSON object per line");
    assertThat(run.metrics()).hasContent(text.strip()); // left as it was, for the user to look at
  }

  @Test
  void openRefusesAFolderWithoutCheckpoints() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("plain"));
    assertThatThrownBy(() -> RunFolder.open(dir))
        .isInstanceOf(RunException.class)
        .hasMessage(dir + ": not a run folder (it has no checkpoints/ folder)");
  }

  @Test
  void aRegressionsEpochAndStepLinesCarryItsOwnMeasuresByTheSameRule() throws IOException {
    java.util.Map<String, Double> test = new java.util.LinkedHashMap<>();
    test.put("loss", 0.5);
    test.put("mae", 0.25);
    test.put("r2", 0.75);
    EpochMetrics m =
        new EpochMetrics(2, 40, java.util.Map.of("loss", 0.625), test, test, 0.01, 1.5, 0.25);
    try (RunFolder run = RunFolder.create(tmp.resolve("run"), "x")) {
      run.append(new StepLine(2, 39, java.util.Map.of("loss", 0.5), 0.01));
      run.append(m);
      assertThat(Files.readAllLines(run.metrics()))
          .containsExactly(
              "{\"kind\":\"step\",\"epoch\":2,\"step\":39,\"loss\":0.5,\"lr\":0.01}",
              "{\"kind\":\"epoch\",\"epoch\":2,\"steps\":40,\"loss\":0.625,"
                  + "\"test_loss\":0.5,\"test_mae\":0.25,\"test_r2\":0.75,"
                  + "\"validation_loss\":0.5,\"validation_mae\":0.25,\"validation_r2\":0.75,"
                  + "\"lr\":0.01,\"seconds\":1.5,\"eval_seconds\":0.25}");
      assertThat(run.keepMetricsUpTo(40)).containsExactly(m);
      assertThat(RunFolder.read(run.dir()).epochs()).containsExactly(m);
    }
  }

  @Test
  void aStepOfARegressionHasNoAccuracy() {
    StepLine line =
        StepLine.of(
            new dev.mlp.core.train.TrainingListener.StepProgress(
                1, 3, 10, 3, 48, 0.5, Double.NaN, 0.1));
    assertThat(line.running()).containsOnlyKeys("loss");
  }

  @Test
  void linesOfOtherKindsAreKeptWhereTheyAreWhenTheLogIsCut() throws IOException {
    List<String> withNotes = new ArrayList<>(TWO_EPOCHS);
    withNotes.add(1, "{\"kind\":\"note\",\"text\":\"lr looks high\"}");
    withNotes.add("{\"kind\":\"note\",\"text\":\"after the run\"}");
    RunFolder run = runWithMetrics(lines(withNotes));
    run.keepMetricsUpTo(10);
    run.cutMetrics();
    assertThat(Files.readAllLines(run.metrics()))
        .containsExactly(
            step(1, 4),
            "{\"kind\":\"note\",\"text\":\"lr looks high\"}",
            step(1, 8),
            epoch(1, 10, false),
            "{\"kind\":\"note\",\"text\":\"after the run\"}");
  }

  @Test
  void aLogThatIsNotUtf8OrHasAHugeLineIsNamedByItsLine() throws IOException {
    RunFolder run = runWithMetrics(lines(TWO_EPOCHS));
    Files.write(
        run.metrics(),
        new byte[] {'{', '"', 'k', (byte) 0xff, '"', '}', '\n'},
        java.nio.file.StandardOpenOption.APPEND);
    Files.writeString(run.metrics(), step(3, 30) + "\n", java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(() -> RunFolder.read(run.dir()))
        .isInstanceOf(RunException.class)
        .hasMessage(
            run.metrics()
                + ":"
                + (TWO_EPOCHS.size() + 1)
                + ": not UTF-8 text; not a metrics log that mlp wrote");
    Files.writeString(run.metrics(), "x".repeat(RunFolder.MAX_LINE_BYTES + 1) + "\n");
    assertThatThrownBy(() -> run.keepMetricsUpTo(10))
        .isInstanceOf(RunException.class)
        .hasMessage(
            run.metrics() + ":1: a line longer than 1.0 MB; not a metrics log that mlp wrote");
  }
}
