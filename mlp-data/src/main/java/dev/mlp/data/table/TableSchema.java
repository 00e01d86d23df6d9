package dev.mlp.data.table;

import dev.mlp.data.table.CsvTable.Kind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a CSV table holds, as {@code mlp data inspect} shows it before anything is trained: each
 * column's role and type, its missing cells, a numeric column's range and spread, a categorical
 * column's categories; the label's classes and their counts (or its range, for a regression), and
 * the task that would be chosen and why. Read with the same reader, header detection and column
 * kinds as training ({@link CsvDatasetFactory#inspect}).
 *
 * @param file the file read (the train file of a train/test pair)
 * @param bytes its size
 * @param header whether its first line was taken for the header
 * @param rows its data rows
 * @param testFile the test file of a train/test pair, else null
 * @param testRows the test file's rows, or 0
 * @param task {@code classification} or {@code regression}
 * @param taskReason why: set by {@code data.task}, or what the inference saw
 * @param classes a classifier's classes by name in label order, with their counts in {@code file};
 *     empty for a regression
 * @param rowsWithMissing rows with an empty cell in a feature or the label column
 */
public record TableSchema(
    Path file,
    long bytes,
    boolean header,
    int rows,
    Path testFile,
    int testRows,
    List<Column> columns,
    String label,
    String task,
    String taskReason,
    List<Count> classes,
    int rowsWithMissing) {

  /** A value and how many rows hold it. */
  public record Count(String value, long count) {}

  /**
   * One column.
   *
   * @param role {@code label}, {@code feature} or {@code excluded} (left out by {@code
   *     data.exclude} or {@code data.features})
   * @param type {@code numeric}, {@code categorical} (one-hot encoded), {@code text} (a text label)
   *     or {@code -} for an excluded column, which is not read
   * @param missing empty cells (or NA, NaN, null…)
   * @param min smallest value of a numeric column, NaN otherwise or when all are missing
   * @param distinct a categorical or text column's distinct values; for a numeric one, 0
   * @param top a categorical or text column's most frequent values, most frequent first (at most
   *     {@link #TOP})
   */
  public record Column(
      String name,
      String role,
      String type,
      long missing,
      double min,
      double max,
      double mean,
      double std,
      int distinct,
      List<Count> top) {

    public boolean numeric() {
      return type.equals("numeric");
    }
  }

  /** How many of a column's values {@link Column#top} lists. */
  public static final int TOP = 5;

  /** The share of the most frequent class: the accuracy of always predicting it. */
  public double majorityShare() {
    long all = classes.stream().mapToLong(Count::count).sum();
    long most = classes.stream().mapToLong(Count::count).max().orElse(0);
    return all == 0 ? Double.NaN : (double) most / all;
  }

  /** The label column. */
  public Column labelColumn() {
    return columns.stream().filter(c -> c.role().equals("label")).findFirst().orElseThrow();
  }

  static TableSchema of(
      CsvTable t,
      boolean header,
      CsvTable test,
      boolean classification,
      String taskReason,
      List<String> classes) {
    List<Column> columns = new ArrayList<>();
    for (int c = 0; c < t.kinds.length; c++) {
      columns.add(column(t, c));
    }
    List<Count> classCounts = new ArrayList<>();
    if (classification) {
      long[] n = new long[classes.size()];
      for (int r = 0; r < t.rows; r++) {
        String name = labelText(t, r);
        int k = name == null ? -1 : classes.indexOf(name);
        if (k >= 0) {
          n[k]++;
        }
      }
      for (int k = 0; k < n.length; k++) {
        classCounts.add(new Count(classes.get(k), n[k]));
      }
    }
    int withMissing = 0;
    for (int r = 0; r < t.rows; r++) {
      if (hasMissing(t, r)) {
        withMissing++;
      }
    }
    return new TableSchema(
        t.file,
        t.scan.bytes(),
        header,
        t.rows,
        test == null ? null : test.file,
        test == null ? 0 : test.rows,
        List.copyOf(columns),
        t.names.get(t.labelColumn),
        classification ? "classification" : "regression",
        taskReason,
        List.copyOf(classCounts),
        withMissing);
  }

  private static String labelText(CsvTable t, int r) {
    if (t.numericLabel) {
      float v = t.labelValues[r];
      return Float.isNaN(v) ? null : CsvDatasetFactory.text(v);
    }
    int code = t.labelCodes[r];
    return code < 0 ? null : t.labelDictionary.values.get(code);
  }

  private static boolean hasMissing(CsvTable t, int r) {
    if (t.numericLabel ? Float.isNaN(t.labelValues[r]) : t.labelCodes[r] < 0) {
      return true;
    }
    for (int c = 0; c < t.kinds.length; c++) {
      if (t.kinds[c] == Kind.NUMERIC && Float.isNaN(t.numeric[r * t.numericColumns + t.slot[c]])) {
        return true;
      }
      if (t.kinds[c] == Kind.CATEGORICAL && t.codes[t.slot[c]][r] < 0) {
        return true;
      }
    }
    return false;
  }

  private static Column column(CsvTable t, int c) {
    String name = t.names.get(c);
    switch (t.kinds[c]) {
      case SKIP:
        return new Column(
            name, "excluded", "-", 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, List.of());
      case NUMERIC:
        {
          int slot = t.slot[c];
          int stride = t.numericColumns;
          return numeric(name, "feature", i -> t.numeric[i * stride + slot], t.rows);
        }
      case CATEGORICAL:
        return categorical(
            name, "feature", "categorical", t.codes[t.slot[c]], t.dictionaries.get(t.slot[c]));
      default: // the label
        if (t.numericLabel) {
          return numeric(name, "label", i -> t.labelValues[i], t.rows);
        }
        return categorical(name, "label", "text", t.labelCodes, t.labelDictionary);
    }
  }

  private interface Values {
    float at(int row);
  }

  /** Range, mean and standard deviation (population, as numpy's) in one pass (Welford). */
  private static Column numeric(String name, String role, Values v, int rows) {
    long n = 0;
    long missing = 0;
    double mean = 0;
    double m2 = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int r = 0; r < rows; r++) {
      float x = v.at(r);
      if (Float.isNaN(x)) {
        missing++;
        continue;
      }
      n++;
      double d = x - mean;
      mean += d / n;
      m2 += d * (x - mean);
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    if (n == 0) {
      return new Column(
          name,
          role,
          "numeric",
          missing,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          0,
          List.of());
    }
    return new Column(
        name, role, "numeric", missing, min, max, mean, Math.sqrt(m2 / n), 0, List.of());
  }

  private static Column categorical(
      String name, String role, String type, int[] codes, CsvTable.Dictionary dictionary) {
    long[] counts = new long[dictionary.values.size()];
    long missing = 0;
    for (int code : codes) {
      if (code < 0) {
        missing++;
      } else {
        counts[code]++;
      }
    }
    List<Count> all = new ArrayList<>();
    for (int k = 0; k < counts.length; k++) {
      all.add(new Count(dictionary.values.get(k), counts[k]));
    }
    all.sort(Comparator.comparingLong(Count::count).reversed().thenComparing(Count::value));
    return new Column(
        name,
        role,
        type,
        missing,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        counts.length,
        List.copyOf(all.subList(0, Math.min(TOP, all.size()))));
  }
}
