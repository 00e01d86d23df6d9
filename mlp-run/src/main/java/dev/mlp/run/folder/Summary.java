package dev.mlp.run.folder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlp.core.train.ClassificationMetrics;
import dev.mlp.core.train.RegressionMetrics;
import dev.mlp.data.files.InputFileException;
import dev.mlp.data.files.InputFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's {@code summary.json}: the kept weights measured on the test set (docs/RUNS.md).
 *
 * @param confusion {@code confusion[i][j]} counts test samples of true class {@code i} predicted as
 *     class {@code j}; square, one row and column per class
 */
public record Summary(
    String name,
    int keptEpoch,
    boolean stoppedEarly,
    double testLoss,
    double testAccuracy,
    long testCount,
    List<String> classes,
    long[][] confusion,
    List<ClassScores> perClass,
    Scores macro,
    RegressionMetrics regression) {

  /** A classifier's summary. */
  public Summary(
      String name,
      int keptEpoch,
      boolean stoppedEarly,
      double testLoss,
      double testAccuracy,
      long testCount,
      List<String> classes,
      long[][] confusion,
      List<ClassScores> perClass,
      Scores macro) {
    this(
        name,
        keptEpoch,
        stoppedEarly,
        testLoss,
        testAccuracy,
        testCount,
        classes,
        confusion,
        perClass,
        macro,
        null);
  }

  /**
   * A regressor's summary: the kept weights' loss, MAE, RMSE and R² on the test set; no classes.
   */
  public static Summary of(String name, int keptEpoch, boolean stoppedEarly, RegressionMetrics m) {
    return new Summary(
        name,
        keptEpoch,
        stoppedEarly,
        m.loss(),
        Double.NaN,
        m.count(),
        List.of(),
        new long[0][0],
        List.of(),
        null,
        m);
  }

  /** Whether this is a regressor's summary (no classes, no accuracy). */
  public boolean isRegression() {
    return regression != null;
  }

  /** Precision, recall and F1 of one class or of their mean. */
  public record Scores(double precision, double recall, double f1) {}

  /** One row of {@code per_class}. */
  public record ClassScores(String name, Scores scores, long support) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The summary of a run whose kept weights scored {@code m} on the test set; classes are named by
   * their index.
   */
  public static Summary of(
      String name, int keptEpoch, boolean stoppedEarly, ClassificationMetrics m) {
    return of(name, keptEpoch, stoppedEarly, m, null);
  }

  /**
   * The summary of a run whose kept weights scored {@code m} on the test set, its classes named by
   * {@code names} (null: by their index).
   */
  public static Summary of(
      String name,
      int keptEpoch,
      boolean stoppedEarly,
      ClassificationMetrics m,
      List<String> names) {
    List<String> classes = new ArrayList<>();
    List<ClassScores> perClass = new ArrayList<>();
    for (int c = 0; c < m.classes(); c++) {
      String label = names != null && c < names.size() ? names.get(c) : String.valueOf(c);
      classes.add(label);
      perClass.add(
          new ClassScores(label, new Scores(m.precision(c), m.recall(c), m.f1(c)), m.support(c)));
    }
    return new Summary(
        name,
        keptEpoch,
        stoppedEarly,
        m.loss(),
        m.accuracy(),
        m.count(),
        List.copyOf(classes),
        m.confusionMatrix(),
        List.copyOf(perClass),
        new Scores(m.macroPrecision(), m.macroRecall(), m.macroF1()));
  }

  /** summary.json as docs/RUNS.md lays it out. */
  public ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("name", name);
    o.put("kept_epoch", keptEpoch);
    o.put("stopped_early", stoppedEarly);
    figures(o);
    if (regression != null && regression.actual().length > 0) {
      // a sample of the test targets and their predictions, for the report's plot
      ObjectNode points = o.putObject("points");
      ArrayNode actual = points.putArray("actual");
      ArrayNode predicted = points.putArray("predicted");
      for (int i = 0; i < regression.actual().length; i++) {
        if (Float.isFinite(regression.actual()[i]) && Float.isFinite(regression.predicted()[i])) {
          actual.add(regression.actual()[i]);
          predicted.add(regression.predicted()[i]);
        }
      }
    }
    return o;
  }

  /**
   * The test figures alone ({@code test}, {@code classes}, {@code per_class}, {@code macro}, {@code
   * confusion}), as summary.json holds them and {@code mlp eval --json} prints them.
   */
  public ObjectNode figures(ObjectNode o) {
    if (regression != null) {
      o.put("task", "regression");
      ObjectNode test = o.putObject("test");
      test.put("loss", regression.loss());
      test.put("mae", regression.mae());
      test.put("rmse", regression.rmse());
      if (Double.isFinite(regression.r2())) {
        test.put("r2", regression.r2());
      }
      test.put("count", regression.count());
      return o;
    }
    ObjectNode test = o.putObject("test");
    // a figure that does not exist (an empty test set) is left out: summary.json never holds NaN
    if (Double.isFinite(testLoss)) {
      test.put("loss", testLoss);
    }
    if (Double.isFinite(testAccuracy)) {
      test.put("accuracy", testAccuracy);
    }
    test.put("count", testCount);
    ArrayNode names = o.putArray("classes");
    classes.forEach(names::add);
    ArrayNode per = o.putArray("per_class");
    for (ClassScores c : perClass) {
      ObjectNode k = per.addObject();
      k.put("class", c.name());
      putFinite(k, "precision", c.scores().precision());
      putFinite(k, "recall", c.scores().recall());
      putFinite(k, "f1", c.scores().f1());
      k.put("support", c.support());
    }
    ObjectNode m = o.putObject("macro");
    putFinite(m, "precision", macro.precision());
    putFinite(m, "recall", macro.recall());
    putFinite(m, "f1", macro.f1());
    ArrayNode rows = o.putArray("confusion");
    for (long[] row : confusion) {
      ArrayNode r = rows.addArray();
      for (long v : row) {
        r.add(v);
      }
    }
    return o;
  }

  /** The figures of an evaluation that is not a run's ({@code mlp eval}). */
  public static ObjectNode figures(ClassificationMetrics m) {
    return figures(m, null);
  }

  /** {@link #figures(ClassificationMetrics)} with the classes named by {@code names}. */
  public static ObjectNode figures(ClassificationMetrics m, List<String> names) {
    return of("", 0, false, m, names).figures(JSON.createObjectNode());
  }

  /** Reads and checks {@code file}; every field docs/RUNS.md lists is required. */
  public static Summary read(Path file) throws RunException {
    JsonNode root;
    try {
      root = JSON.readTree(InputFiles.readText(file, RunFolder.MAX_SUMMARY_BYTES, "run summary"));
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      throw new RunException(
          file
              + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
              + ": expected one JSON object (docs/RUNS.md), but it is not JSON: "
              + e.getOriginalMessage(),
          e);
    } catch (InputFileException e) {
      throw new RunException(e.getMessage(), e);
    } catch (IOException e) {
      throw new RunException(file + ": cannot read: " + InputFiles.reason(e), e);
    }
    Fields f = new Fields(file);
    if (!root.isObject()) {
      throw new RunException(file + ": expected one JSON object (docs/RUNS.md)" + Fields.got(root));
    }
    JsonNode test = f.object(root.get("test"), "test");
    if (root.has("task") && "regression".equals(root.get("task").asText())) {
      float[] actual = f.floats(root, "points", "actual");
      float[] predicted = f.floats(root, "points", "predicted");
      if (actual.length != predicted.length) {
        throw f.error("points", "as many predicted values as actual ones");
      }
      RegressionMetrics m =
          new RegressionMetrics(
              f.number(test.get("loss"), "test.loss"),
              f.number(test.get("mae"), "test.mae"),
              f.number(test.get("rmse"), "test.rmse"),
              test.has("r2") ? f.number(test.get("r2"), "test.r2") : Double.NaN,
              f.count(test.get("count"), "test.count"),
              actual,
              predicted);
      return of(
          f.text(root.get("name"), "name"),
          (int) f.count(root.get("kept_epoch"), "kept_epoch"),
          f.bool(root.get("stopped_early"), "stopped_early"),
          m);
    }
    List<String> classes = new ArrayList<>();
    for (JsonNode c : f.array(root.get("classes"), "classes")) {
      classes.add(f.text(c, "classes[" + classes.size() + "]"));
    }
    int n = classes.size();
    if (n == 0) {
      throw f.error("classes", "the names of the classes, got none");
    }
    JsonNode rows = f.array(root.get("confusion"), "confusion");
    if (rows.size() != n) {
      throw f.error("confusion", "a matrix of " + n + " rows (one per class), got " + rows.size());
    }
    long[][] confusion = new long[n][n];
    for (int i = 0; i < n; i++) {
      JsonNode row = f.array(rows.get(i), "confusion[" + i + "]");
      if (row.size() != n) {
        throw f.error("confusion[" + i + "]", n + " counts (one per class), got " + row.size());
      }
      for (int j = 0; j < n; j++) {
        confusion[i][j] = f.count(row.get(j), "confusion[" + i + "][" + j + "]");
      }
    }
    List<ClassScores> perClass = new ArrayList<>();
    for (JsonNode c : f.array(root.get("per_class"), "per_class")) {
      String at = "per_class[" + perClass.size() + "]";
      f.object(c, at);
      perClass.add(
          new ClassScores(
              f.text(c.get("class"), at + ".class"),
              f.scores(c, at),
              f.count(c.get("support"), at + ".support")));
    }
    return new Summary(
        f.text(root.get("name"), "name"),
        (int) f.count(root.get("kept_epoch"), "kept_epoch"),
        f.bool(root.get("stopped_early"), "stopped_early"),
        test.has("loss") ? f.number(test.get("loss"), "test.loss") : Double.NaN,
        test.has("accuracy") ? f.number(test.get("accuracy"), "test.accuracy") : Double.NaN,
        f.count(test.get("count"), "test.count"),
        List.copyOf(classes),
        confusion,
        List.copyOf(perClass),
        f.scores(f.object(root.get("macro"), "macro"), "macro"));
  }

  /** Typed access to the fields of one file, with a one-line error naming field and file. */
  private record Fields(Path file) {
    RunException error(String field, String expected) {
      return new RunException(file + ": expected \"" + field + "\" to be " + expected);
    }

    JsonNode object(JsonNode n, String field) throws RunException {
      if (n == null || !n.isObject()) {
        throw error(field, "a JSON object" + got(n));
      }
      return n;
    }

    JsonNode array(JsonNode n, String field) throws RunException {
      if (n == null || !n.isArray()) {
        throw error(field, "a JSON array" + got(n));
      }
      return n;
    }

    String text(JsonNode n, String field) throws RunException {
      if (n == null || !n.isTextual()) {
        throw error(field, "a string" + got(n));
      }
      return n.textValue();
    }

    boolean bool(JsonNode n, String field) throws RunException {
      if (n == null || !n.isBoolean()) {
        throw error(field, "true or false" + got(n));
      }
      return n.booleanValue();
    }

    double number(JsonNode n, String field) throws RunException {
      if (n == null || !n.isNumber()) {
        throw error(field, "a number" + got(n));
      }
      return n.doubleValue();
    }

    long count(JsonNode n, String field) throws RunException {
      if (n == null || !n.canConvertToExactIntegral() || n.longValue() < 0) {
        throw error(field, "a count (an integer >= 0)" + got(n));
      }
      return n.longValue();
    }

    /**
     * The numbers of array {@code root.object.key}, or none when {@code object} is left out (a
     * summary without points, as before they were kept).
     */
    float[] floats(JsonNode root, String object, String key) throws RunException {
      if (!root.has(object)) {
        return new float[0];
      }
      String field = object + "." + key;
      JsonNode a = array(object(root.get(object), object).get(key), field);
      if (a.size() > RegressionMetrics.MAX_POINTS) {
        throw error(field, "at most " + RegressionMetrics.MAX_POINTS + " numbers, got " + a.size());
      }
      float[] v = new float[a.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) number(a.get(i), field + "[" + i + "]");
      }
      return v;
    }

    Scores scores(JsonNode o, String at) throws RunException {
      return new Scores(
          optional(o, "precision", at), optional(o, "recall", at), optional(o, "f1", at));
    }

    /** A figure that may be left out (it does not exist, e.g. for a class with no samples). */
    double optional(JsonNode o, String key, String at) throws RunException {
      return o.has(key) ? number(o.get(key), at + "." + key) : Double.NaN;
    }

    static String got(JsonNode n) {
      if (n == null) {
        return ", but it is missing";
      }
      if (n.isMissingNode()) {
        return ", but the file is empty";
      }
      String s = n.toString();
      return ", got " + (s.length() > 40 ? s.substring(0, 40) + "..." : s);
    }
  }

  /** Puts {@code v} unless it is NaN or infinite: summary.json holds only numbers that exist. */
  private static void putFinite(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    }
  }
}
