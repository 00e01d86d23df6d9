package dev.mlp.run.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlp.core.train.EpochMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run folder read to report on it ({@code mlp report}, the Java API): what it holds, the metrics
 * lines it skips, the ones it refuses (by file and line), and how a checkpoint names its run.
 */
class RunFolderReadTest {
  @TempDir Path tmp;

  private static final String EPOCH_1 =
      "{\"kind\":\"epoch\",\"epoch\":1,\"steps\":10,\"loss\":0.5,\"train_accuracy\":0.8,"
          + "\"test_loss\":0.4,\"test_accuracy\":0.85,\"lr\":0.01,\"seconds\":2.0,"
          + "\"eval_seconds\":0.5}";

  private Path run(String metrics) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("run"));
    Files.writeString(dir.resolve("metrics.jsonl"), metrics);
    return dir;
  }

  @Test
  void aRunFolderGivesItsEpochsSummaryAndConfig() throws IOException {
    Path dir = run(EPOCH_1 + "\n");
    RunFolder bare = RunFolder.read(dir);
    assertThat(bare.summary()).isNull();
    assertThat(bare.configText()).isNull();
    assertThat(bare.epochs())
        .containsExactly(
            new EpochMetrics(
                1,
                10,
                Map.of("loss", 0.5, "accuracy", 0.8),
                Map.of("loss", 0.4, "accuracy", 0.85),
                Map.of(),
                0.01,
                2.0,
                0.5));

    Files.writeString(dir.resolve("config.yaml"), "name: tiny\n");
    Summary s = SummaryTest.SUMMARY;
    RunFolder.create(tmp.resolve("other"), "x").close();
    try (RunFolder writer = RunFolder.open(tmp.resolve("other"))) {
      writer.writeSummary(s);
      Files.copy(writer.summaryFile(), dir.resolve("summary.json"));
    }
    RunFolder full = RunFolder.read(dir);
    assertThat(full.configText()).isEqualTo("name: tiny\n");
    assertThat(full.summary().toJson()).isEqualTo(s.toJson());
    assertThat(full.dir()).isEqualTo(dir);
    assertThat(full.name()).isEqualTo("run");
  }

  @Test
  void whatIsNotARunFolderIsSaidSo() throws IOException {
    Path none = tmp.resolve("none");
    assertThatThrownBy(() -> RunFolder.read(none))
        .isInstanceOf(RunException.class)
        .hasMessage(none + ": no such run folder");
    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertThatThrownBy(() -> RunFolder.read(file))
        .hasMessage(
            file
                + ": expected a run folder (runs/<name>-<time>/ that mlp train writes), got a file");
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> RunFolder.read(empty))
        .hasMessage(
            empty.resolve("metrics.jsonl")
                + ": no such file; "
                + empty
                + " is not a run folder (mlp train writes metrics.jsonl into every run folder)");
  }

  @Test
  void blankStepAndUnknownLinesAreSkippedAndALastLineBeingWrittenToo() throws IOException {
    Path dir =
        run(
            "\n"
                + "{\"kind\":\"step\",\"epoch\":1,\"step\":5,\"loss\":0.7}\n"
                + "   \n"
                + "{\"kind\":\"checkpoint\",\"epoch\":1}\n"
                + EPOCH_1
                + "\n"
                + "{\"kind\":\"epoch\",\"epo");
    assertThat(RunFolder.read(dir).epochs()).extracting(EpochMetrics::epoch).containsExactly(1);
  }

  /** The message for a metrics log of these lines, after the log's file name. */
  private String refusal(String metrics) throws IOException {
    Path dir = run(metrics);
    Path log = dir.resolve("metrics.jsonl");
    try {
      RunFolder.read(dir);
    } catch (RunException e) {
      assertThat(e.getMessage()).startsWith(log.toString()).doesNotContain("\n");
      return e.getMessage().substring(log.toString().length());
    }
    return null;
  }

  @Test
  void aBadLineIsRefusedByItsNumber() throws IOException {
    assertThat(refusal(EPOCH_1 + "\nnot json\n" + EPOCH_1 + "\n"))
        .isEqualTo(":2: expected one JSON object per line, got not json");
    String long50 = "{\"kind\": \"epoch\", \"epoch\": 2, \"loss\": [1, 2, 3,";
    assertThat(refusal(long50 + "\n" + EPOCH_1 + "\n"))
        .isEqualTo(":1: expected one JSON object per line, got " + long50.substring(0, 40) + "...");
    String just40 = "x".repeat(40);
    assertThat(refusal(just40 + "\n" + EPOCH_1 + "\n"))
        .isEqualTo(":1: expected one JSON object per line, got " + just40);
    assertThat(refusal("[1, 2]\n")).isEqualTo(":1: expected one JSON object per line, got [1, 2]");
    assertThat(refusal(EPOCH_1 + "\n{\"epoch\": 2}\n"))
        .isEqualTo(":2: expected a \"kind\" (\"step\" or \"epoch\")");
    assertThat(refusal("{\"kind\": 3}\n"))
        .isEqualTo(":1: expected a \"kind\" (\"step\" or \"epoch\")");
    assertThat(refusal("{\"kind\": \"epoch\", \"epoch\": 0}\n"))
        .isEqualTo(":1: expected \"epoch\" to be an epoch number (1, 2, ...)");
    assertThat(refusal("{\"kind\": \"epoch\", \"epoch\": 1.5}\n"))
        .isEqualTo(":1: expected \"epoch\" to be an epoch number (1, 2, ...)");
    assertThat(refusal("{\"kind\": \"epoch\"}\n"))
        .isEqualTo(":1: expected \"epoch\" to be an epoch number (1, 2, ...)");
    assertThat(refusal("{\"kind\": \"epoch\", \"epoch\": 1, \"test_accuracy\": \"high\"}\n"))
        .isEqualTo(":1: expected \"test_accuracy\" to be a number or left out, got \"high\"");
    assertThat(refusal("{\"kind\": \"epoch\", \"epoch\": 1}\n"))
        .as("figures may be left out")
        .isNull();
  }

  @Test
  void keysThatAreOnlyAPrefixOrUnknownAreNoMeasures() throws IOException {
    Path dir =
        run(
            "{\"kind\":\"epoch\",\"epoch\":1,\"test_\":1.0,\"validation_\":2.0,\"f1\":0.5,"
                + "\"validation_f1\":0.25}\n");
    EpochMetrics m = RunFolder.read(dir).epochs().get(0);
    assertThat(m.train()).isEmpty();
    assertThat(m.test()).isEmpty();
    assertThat(m.validation()).containsExactly(Map.entry("f1", 0.25));
    assertThat(m.steps()).isZero();
    assertThat(m.learningRate()).isNaN();
    assertThat(m.seconds()).isNaN();
    assertThat(m.evalSeconds()).isNaN();
  }

  @Test
  void anEpochAsMlpTrainJsonPrintsItIsTheLogLineWithoutItsKind() {
    EpochMetrics m =
        new EpochMetrics(
            2, 20, Map.of("loss", 0.5), Map.of("loss", 0.25), Map.of(), 0.125, 1.5, 0.5);
    assertThat(RunFolder.epochJson(m))
        .isEqualTo(
            "{\"epoch\":2,\"steps\":20,\"loss\":0.5,\"test_loss\":0.25,\"lr\":0.125,"
                + "\"seconds\":1.5,\"eval_seconds\":0.5}");
  }

  @Test
  void aCheckpointNamesTheRunFolderAboveItsCheckpointsFolder() {
    Path cwd = Path.of("").toAbsolutePath();
    assertThat(RunFolder.of(Path.of("runs/a/checkpoints/last.safetensors")))
        .isEqualTo(Path.of("runs/a"));
    assertThat(RunFolder.of(Path.of("/data/model.safetensors"))).isEqualTo(Path.of("/data"));
    assertThat(RunFolder.of(Path.of("model.safetensors"))).isEqualTo(cwd);
    assertThat(RunFolder.of(Path.of("checkpoints/best.safetensors"))).isEqualTo(cwd);
    assertThat(RunFolder.of(Path.of("/checkpoints/best.safetensors"))).isEqualTo(Path.of("/"));
  }

  @Test
  void aRunIsCalledByItsFolderName() throws IOException {
    RunFolder.create(tmp.resolve("mnist-1"), "x").close();
    try (RunFolder dotted = RunFolder.open(tmp.resolve("mnist-1/."))) {
      assertThat(dotted.name()).isEqualTo("mnist-1");
    }
    try (RunFolder plain = RunFolder.open(tmp.resolve("mnist-1"))) {
      assertThat(plain.name()).isEqualTo("mnist-1");
    }
  }

  @Test
  void runsGoUnderRunsWithoutMlpRuns() {
    String env = System.getenv("MLP_RUNS");
    Path expected = env == null || env.isBlank() ? Path.of("runs") : Path.of(env);
    assertThat(RunFolder.runsRoot()).isEqualTo(expected);
  }

  @Test
  void aResumeRefusesABadEpochLineByItsNumberToo() throws IOException {
    Path dir = run(EPOCH_1 + "\n{\"kind\":\"epoch\",\"epoch\":-2,\"steps\":20}\n");
    Files.createDirectories(dir.resolve("checkpoints"));
    try (RunFolder folder = RunFolder.open(dir)) {
      assertThatThrownBy(() -> folder.keepMetricsUpTo(20))
          .isInstanceOf(RunException.class)
          .hasMessage(
              dir.resolve("metrics.jsonl")
                  + ":2: expected \"epoch\" to be an epoch number (1, 2, ...)");
    }
  }
}
