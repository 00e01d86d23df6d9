package dev.mlp.run.folder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlp.core.train.ClassificationMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * summary.json as docs/RUNS.md lays it out, written from a run's test figures and read back by
 * {@code mlp report}; a file that does not follow the layout is refused naming the field.
 */
class SummaryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  /** Two classes: 3 and 1 of class 0 predicted 0 and 1, 2 of class 1 predicted 1. */
  private static final ClassificationMetrics METRICS =
      ClassificationMetrics.of(new long[][] {{3, 1}, {0, 2}});

  /** A summary with figures that print exactly. */
  static final Summary SUMMARY =
      new Summary(
          "tiny",
          4,
          true,
          0.25,
          0.75,
          8,
          List.of("cat", "dog"),
          new long[][] {{5, 1}, {1, 1}},
          List.of(
              new Summary.ClassScores("cat", new Summary.Scores(0.5, 0.625, 0.875), 6),
              new Summary.ClassScores("dog", new Summary.Scores(0.125, 0.375, 1.0), 2)),
          new Summary.Scores(0.25, 0.5, 0.9375));

  private static final String SUMMARY_JSON =
      "{\"name\":\"tiny\",\"kept_epoch\":4,\"stopped_early\":true,"
          + "\"test\":{\"loss\":0.25,\"accuracy\":0.75,\"count\":8},"
          + "\"classes\":[\"cat\",\"dog\"],"
          + "\"per_class\":[{\"class\":\"cat\",\"precision\":0.5,\"recall\":0.625,\"f1\":0.875,"
          + "\"support\":6},"
          + "{\"class\":\"dog\",\"precision\":0.125,\"recall\":0.375,\"f1\":1.0,\"support\":2}],"
          + "\"macro\":{\"precision\":0.25,\"recall\":0.5,\"f1\":0.9375},"
          + "\"confusion\":[[5,1],[1,1]]}";

  @Test
  void theJsonHasEveryFieldOfTheLayoutInItsPlace() {
    assertThat(SUMMARY.toJson().toString()).isEqualTo(SUMMARY_JSON);
  }

  @Test
  void aRunsFiguresAreItsMetricsClassByClass() {
    Summary s = Summary.of("run", 2, false, METRICS);
    assertThat(s.name()).isEqualTo("run");
    assertThat(s.keptEpoch()).isEqualTo(2);
    assertThat(s.stoppedEarly()).isFalse();
    assertThat(s.testCount()).isEqualTo(6);
    assertThat(s.testAccuracy()).isEqualTo(5.0 / 6);
    assertThat(s.classes()).containsExactly("0", "1");
    assertThat(s.confusion()).isDeepEqualTo(new long[][] {{3, 1}, {0, 2}});
    assertThat(s.perClass())
        .containsExactly(
            new Summary.ClassScores(
                "0", new Summary.Scores(1.0, 0.75, METRICS.f1(0)), METRICS.support(0)),
            new Summary.ClassScores(
                "1", new Summary.Scores(2.0 / 3, 1.0, METRICS.f1(1)), METRICS.support(1)));
    assertThat(s.perClass().get(0).support()).isEqualTo(4);
    assertThat(s.macro())
        .isEqualTo(
            new Summary.Scores(METRICS.macroPrecision(), METRICS.macroRecall(), METRICS.macroF1()));
  }

  @Test
  void anEvaluationsFiguresAreTheSummaryWithoutTheRun() {
    ObjectNode figures = Summary.figures(METRICS);
    assertThat(figures.has("name")).isFalse();
    assertThat(figures.has("kept_epoch")).isFalse();
    ObjectNode expected = Summary.of("x", 1, true, METRICS).toJson();
    expected.remove(List.of("name", "kept_epoch", "stopped_early"));
    assertThat(figures).isEqualTo(expected);
  }

  @Test
  void whatIsWrittenIsReadBack() throws IOException {
    Path file = tmp.resolve("summary.json");
    Files.writeString(
        file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(SUMMARY.toJson()));
    Summary back = Summary.read(file);
    assertThat(back.toJson().toString()).isEqualTo(SUMMARY_JSON);
    assertThat(back.confusion()).isDeepEqualTo(SUMMARY.confusion());
    assertThat(back.perClass()).isEqualTo(SUMMARY.perClass());
    assertThat(back.macro()).isEqualTo(SUMMARY.macro());
  }

  @Test
  void aRegressorsPointsAreWrittenAndReadBackAndMustPairUp() throws IOException {
    Summary regression =
        Summary.of(
            "temp",
            3,
            false,
            new dev.mlp.core.train.RegressionMetrics(
                4, 1.5, 2, 0.5, 3, new float[] {1, 2.5f, 3}, new float[] {1.5f, 2, 4}));
    String json =
        "{\"name\":\"temp\",\"kept_epoch\":3,\"stopped_early\":false,\"task\":\"regression\","
            + "\"test\":{\"loss\":4.0,\"mae\":1.5,\"rmse\":2.0,\"r2\":0.5,\"count\":3},"
            + "\"points\":{\"actual\":[1.0,2.5,3.0],\"predicted\":[1.5,2.0,4.0]}}";
    assertThat(regression.toJson().toString()).isEqualTo(json);
    Path file = tmp.resolve("summary.json");
    Files.writeString(file, json);
    Summary back = Summary.read(file);
    assertThat(back.regression().actual()).containsExactly(1, 2.5f, 3);
    assertThat(back.regression().predicted()).containsExactly(1.5f, 2, 4);
    // an evaluation's figures are the test set's alone
    assertThat(regression.figures(JSON.createObjectNode()).has("points")).isFalse();
    // a summary from before points were kept is read without them
    assertThat(refusal(json.replaceAll(",\"points\".*}}", "}"))).isNull();
    assertThat(refusal(json.replace("[1.5,2.0,4.0]", "[1.5,2.0]")))
        .isEqualTo(": expected \"points\" to be as many predicted values as actual ones");
    assertThat(refusal(json.replace("[1.5,2.0,4.0]", "[1.5,\"x\",4.0]")))
        .isEqualTo(": expected \"points.predicted[1]\" to be a number, got \"x\"");
    assertThat(refusal(json.replace("\"predicted\":[1.5,2.0,4.0]", "\"guess\":[]")))
        .isEqualTo(": expected \"points.predicted\" to be a JSON array, but it is missing");
  }

  /** The message for summary.json holding SUMMARY_JSON with {@code from} replaced by {@code to}. */
  private String refusal(String from, String to) throws IOException {
    assertThat(SUMMARY_JSON).contains(from);
    return refusal(SUMMARY_JSON.replace(from, to));
  }

  /** The message for summary.json holding {@code text} after the file's name; null if read. */
  private String refusal(String text) throws IOException {
    Path file = tmp.resolve("summary.json");
    Files.writeString(file, text);
    try {
      Summary.read(file);
    } catch (RunException e) {
      assertThat(e.getMessage()).startsWith(file.toString()).doesNotContain("\n");
      return e.getMessage().substring(file.toString().length());
    }
    return null; // read
  }

  @Test
  void aFileThatIsNotOneJsonObjectIsRefusedSayingWhatItIs() throws IOException {
    assertThat(refusal("{\"name\": \"tiny\",\n  oops}"))
        .isEqualTo(
            ":2:3: expected one JSON object (docs/RUNS.md), but it is not JSON: Unexpected"
                + " character ('o' (code 111)): was expecting double-quote to start field name");
    assertThat(refusal(""))
        .isEqualTo(": expected one JSON object (docs/RUNS.md), but the file is empty");
    assertThat(refusal("[1, 2]")).isEqualTo(": expected one JSON object (docs/RUNS.md), got [1,2]");
    assertThat(refusal("\"" + "x".repeat(50) + "\""))
        .isEqualTo(": expected one JSON object (docs/RUNS.md), got \"" + "x".repeat(39) + "...");
    assertThat(refusal("\"" + "x".repeat(38) + "\"")) // 40 characters are shown whole
        .isEqualTo(": expected one JSON object (docs/RUNS.md), got \"" + "x".repeat(38) + "\"");
  }

  @Test
  void eachFieldOfTheWrongKindIsNamed() throws IOException {
    assertThat(refusal("\"name\":\"tiny\",", ""))
        .isEqualTo(": expected \"name\" to be a string, but it is missing");
    assertThat(refusal("\"name\":\"tiny\"", "\"name\":7"))
        .isEqualTo(": expected \"name\" to be a string, got 7");
    assertThat(refusal("\"kept_epoch\":4", "\"kept_epoch\":-4"))
        .isEqualTo(": expected \"kept_epoch\" to be a count (an integer >= 0), got -4");
    assertThat(refusal("\"kept_epoch\":4", "\"kept_epoch\":4.5"))
        .isEqualTo(": expected \"kept_epoch\" to be a count (an integer >= 0), got 4.5");
    assertThat(refusal("\"stopped_early\":true", "\"stopped_early\":\"yes\""))
        .isEqualTo(": expected \"stopped_early\" to be true or false, got \"yes\"");
    assertThat(refusal("\"test\":{\"loss\":0.25,\"accuracy\":0.75,\"count\":8},", ""))
        .isEqualTo(": expected \"test\" to be a JSON object, but it is missing");
    assertThat(refusal("\"loss\":0.25", "\"loss\":\"low\""))
        .isEqualTo(": expected \"test.loss\" to be a number, got \"low\"");
    assertThat(refusal("\"accuracy\":0.75", "\"accuracy\":null"))
        .isEqualTo(": expected \"test.accuracy\" to be a number, got null");
    assertThat(refusal("\"count\":8", "\"count\":true"))
        .isEqualTo(": expected \"test.count\" to be a count (an integer >= 0), got true");
    assertThat(refusal("\"macro\":{\"precision\":0.25,\"recall\":0.5,\"f1\":0.9375},", ""))
        .isEqualTo(": expected \"macro\" to be a JSON object, but it is missing");
    assertThat(refusal("\"f1\":0.9375", "\"f1\":\"high\""))
        .isEqualTo(": expected \"macro.f1\" to be a number, got \"high\"");
  }

  @Test
  void theClassesAndTheConfusionMatrixMustAgree() throws IOException {
    assertThat(refusal("[\"cat\",\"dog\"]", "[]"))
        .isEqualTo(": expected \"classes\" to be the names of the classes, got none");
    assertThat(refusal("[\"cat\",\"dog\"]", "\"cat\""))
        .isEqualTo(": expected \"classes\" to be a JSON array, got \"cat\"");
    assertThat(refusal("[\"cat\",\"dog\"]", "[\"cat\",5]"))
        .isEqualTo(": expected \"classes[1]\" to be a string, got 5");
    assertThat(refusal("[[5,1],[1,1]]", "[[5,1]]"))
        .isEqualTo(": expected \"confusion\" to be a matrix of 2 rows (one per class), got 1");
    assertThat(refusal("[[5,1],[1,1]]", "{}"))
        .isEqualTo(": expected \"confusion\" to be a JSON array, got {}");
    assertThat(refusal("[[5,1],[1,1]]", "[[5,1],7]"))
        .isEqualTo(": expected \"confusion[1]\" to be a JSON array, got 7");
    assertThat(refusal("[[5,1],[1,1]]", "[[5,1],[1,1,0]]"))
        .isEqualTo(": expected \"confusion[1]\" to be 2 counts (one per class), got 3");
    assertThat(refusal("[[5,1],[1,1]]", "[[5,-1],[1,1]]"))
        .isEqualTo(": expected \"confusion[0][1]\" to be a count (an integer >= 0), got -1");
    assertThat(refusal("[[5,1],[1,1]]", "[[5,0],[1,1]]")).as("zero is a count").isNull();
  }

  @Test
  void eachRowOfPerClassIsChecked() throws IOException {
    assertThat(refusal("\"per_class\":[", "\"per_class\":[7,"))
        .isEqualTo(": expected \"per_class[0]\" to be a JSON object, got 7");
    assertThat(refusal("{\"class\":\"dog\",", "{\"klass\":\"dog\","))
        .isEqualTo(": expected \"per_class[1].class\" to be a string, but it is missing");
    assertThat(refusal("\"recall\":0.375", "\"recall\":[]"))
        .isEqualTo(": expected \"per_class[1].recall\" to be a number, got []");
    assertThat(refusal("\"precision\":0.5,", "\"precision\":{},"))
        .isEqualTo(": expected \"per_class[0].precision\" to be a number, got {}");
    assertThat(refusal("\"support\":2", "\"support\":2.5"))
        .isEqualTo(": expected \"per_class[1].support\" to be a count (an integer >= 0), got 2.5");
    assertThat(refusal("\"per_class\":[", "\"per_klass\":["))
        .isEqualTo(": expected \"per_class\" to be a JSON array, but it is missing");
  }

  /** An empty test set has no loss nor accuracy: left out, never "NaN", and read back as such. */
  @Test
  void figuresThatDoNotExistAreLeftOutAndReadBack() throws Exception {
    Summary empty = Summary.of("none", 1, false, ClassificationMetrics.of(new int[2][2]));
    Path file = tmp.resolve("summary.json");
    Files.writeString(file, empty.toJson().toString());
    assertThat(Files.readString(file)).doesNotContain("NaN");
    Summary back = Summary.read(file);
    assertThat(back.testAccuracy()).isNaN();
    assertThat(back.testCount()).isZero();
  }
}
