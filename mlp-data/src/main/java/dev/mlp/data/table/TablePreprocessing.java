package dev.mlp.data.table;

import dev.mlp.data.files.InputFileException;
import dev.mlp.data.table.CsvTable.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What turns a table's rows into a model's inputs, fitted on the training rows only and kept in the
 * checkpoint (as {@link #toJson}) so that new rows are prepared the same way: for each feature
 * column in order, a numeric one is filled where empty ({@code data.missing: mean}) and scaled,
 * {@code (x - center) / scale}; a categorical one becomes one input per category it had in training
 * (one-hot).
 */
record TablePreprocessing(
    List<Column> columns,
    String label,
    String task,
    List<String> classes,
    String missing,
    String normalize,
    List<String> ignored) {

  /**
   * @param categories null for a numeric column
   * @param fill the value an empty cell takes (numeric: the training mean; categorical: the most
   *     frequent category's index)
   */
  record Column(
      String name, int index, List<String> categories, float center, float scale, float fill) {
    boolean numeric() {
      return categories == null;
    }

    int width() {
      return numeric() ? 1 : categories.size();
    }
  }

  static TablePreprocessing fit(
      CsvSpec spec, CsvTable t, int[] rows, List<String> classes, boolean classification) {
    Moments moments = Moments.of(t, rows);
    List<Column> columns = new ArrayList<>();
    for (int c = 0; c < t.kinds.length; c++) {
      if (t.kinds[c] == Kind.NUMERIC) {
        columns.add(numeric(spec, t, moments, c));
      } else if (t.kinds[c] == Kind.CATEGORICAL) {
        columns.add(categorical(t, rows, c));
      }
    }
    List<String> ignored = new ArrayList<>();
    for (int c = 0; c < t.kinds.length; c++) {
      if (t.kinds[c] == Kind.SKIP) {
        ignored.add(t.names.get(c));
      }
    }
    return new TablePreprocessing(
        List.copyOf(columns),
        t.names.get(t.labelColumn),
        classification ? "classification" : "regression",
        classification ? List.copyOf(classes) : List.of(),
        spec.missing(),
        spec.normalize(),
        List.copyOf(ignored));
  }

  /**
   * Each numeric column's count of values, sum, minimum, maximum and sum of squared deviations from
   * its mean over {@code rows}, NaN (missing) left out. The table is walked row by row (it is
   * row-major, so each pass reads the array once, in order), each column's own sums still added in
   * row order, so the figures are exactly those of summing one column at a time.
   */
  record Moments(long[] n, double[] sum, double[] min, double[] max, double[] sq) {
    static Moments of(CsvTable t, int[] rows) {
      int w = t.numericColumns;
      Moments m =
          new Moments(new long[w], new double[w], new double[w], new double[w], new double[w]);
      int half = w / 2;
      inTwo(
          (long) rows.length * w,
          () -> m.columns(t, rows, 0, half),
          () -> m.columns(t, rows, half, w));
      return m;
    }

    /** The figures of numeric columns {@code [from, to)}. */
    private void columns(CsvTable t, int[] rows, int from, int to) {
      int w = t.numericColumns;
      float[] x = t.numeric;
      java.util.Arrays.fill(min, from, to, Double.POSITIVE_INFINITY);
      java.util.Arrays.fill(max, from, to, Double.NEGATIVE_INFINITY);
      for (int r : rows) {
        int o = r * w;
        for (int j = from; j < to; j++) {
          float v = x[o + j];
          if (!Float.isNaN(v)) {
            sum[j] += v;
            min[j] = Math.min(min[j], v);
            max[j] = Math.max(max[j], v);
            n[j]++;
          }
        }
      }
      double[] mean = new double[w];
      for (int j = from; j < to; j++) {
        mean[j] = n[j] == 0 ? 0 : sum[j] / n[j];
      }
      for (int r : rows) {
        int o = r * w;
        for (int j = from; j < to; j++) {
          float v = x[o + j];
          if (!Float.isNaN(v)) {
            sq[j] += (v - mean[j]) * (v - mean[j]);
          }
        }
      }
    }
  }

  /** Tables from this many cells on are worked through on two threads (the tests lower it). */
  static long twoThreadsFromCells = 1L << 22;

  /**
   * Runs {@code second} on a thread of its own while {@code first} runs on this one, or both here
   * when {@code cells} is below {@link #twoThreadsFromCells}.
   */
  static void inTwo(long cells, Runnable first, Runnable second) {
    if (cells < twoThreadsFromCells) {
      first.run();
      second.run();
      return;
    }
    RuntimeException[] failed = new RuntimeException[1];
    Thread other =
        new Thread(
            () -> {
              try {
                second.run();
              } catch (RuntimeException e) {
                failed[0] = e;
              }
            },
            "mlp-csv-second");
    other.setDaemon(true);
    other.start();
    try {
      first.run();
    } finally {
      CsvTable.join(other);
    }
    if (failed[0] != null) {
      throw failed[0];
    }
  }

  private static Column numeric(CsvSpec spec, CsvTable t, Moments m, int c) {
    int slot = t.slot[c];
    long n = m.n()[slot];
    double sum = m.sum()[slot];
    double min = m.min()[slot];
    double max = m.max()[slot];
    double mean = n == 0 ? 0 : sum / n;
    double sq = m.sq()[slot];
    double std = n == 0 ? 0 : Math.sqrt(sq / n);
    float center;
    float scale;
    switch (spec.normalize()) {
      case "standard" -> {
        center = (float) mean;
        scale = std > 0 ? (float) std : 1f;
      }
      case "minmax" -> {
        center = n == 0 ? 0 : (float) min;
        scale = n > 0 && max > min ? (float) (max - min) : 1f;
      }
      default -> {
        center = 0;
        scale = spec.divideBy().floatValue();
      }
    }
    return new Column(t.names.get(c), c, null, center, scale, (float) mean);
  }

  private static Column categorical(CsvTable t, int[] rows, int c) {
    int slot = t.slot[c];
    CsvTable.Dictionary d = t.dictionaries.get(slot);
    int[] count = new int[d.values.size()];
    for (int r : rows) {
      int code = t.codes[slot][r];
      if (code >= 0) {
        count[code]++;
      }
    }
    List<String> categories = new ArrayList<>();
    for (int k = 0; k < count.length; k++) {
      if (count[k] > 0) {
        categories.add(d.values.get(k));
      }
    }
    categories.sort(null);
    int most = 0;
    for (int k = 1; k < count.length; k++) {
      if (count[k] > count[most]) {
        most = k;
      }
    }
    float fill = count.length == 0 ? 0 : categories.indexOf(d.values.get(most));
    return new Column(t.names.get(c), c, List.copyOf(categories), 0, 1, fill);
  }

  /** The inputs per row. */
  int width() {
    int w = 0;
    for (Column c : columns) {
      w += c.width();
    }
    return w;
  }

  /**
   * The inputs of {@code rows} of {@code t}, row-major. When the rows are the whole table in order
   * and every feature is numeric, the table's own array is scaled in place and returned (no copy,
   * so a large table needs its array once).
   */
  float[] features(CsvTable t, int[] rows) throws InputFileException {
    int width = width();
    // each column found in t by its name: a test file may have the train file's in another order
    int[] at = new int[columns.size()];
    for (int k = 0; k < at.length; k++) {
      at[k] = t.names.indexOf(columns.get(k).name());
    }
    boolean whole =
        rows.length == t.rows
            && columns.stream().allMatch(Column::numeric)
            && width == t.numericColumns;
    for (int k = 0; whole && k < at.length; k++) {
      whole = t.slot[at[k]] == k; // t's array holds the columns in this order
    }
    for (int i = 0; whole && i < rows.length; i++) {
      whole = rows[i] == i;
    }
    if (whole) {
      float[] x = t.numeric;
      int n = t.numericColumns;
      float[] fill = new float[n];
      float[] center = new float[n];
      float[] scale = new float[n];
      for (int k = 0; k < at.length; k++) {
        Column c = columns.get(k);
        int slot = t.slot[at[k]];
        fill[slot] = c.fill();
        center[slot] = c.center();
        scale[slot] = c.scale();
      }
      int rowCount = t.rows;
      int half = rowCount / 2;
      inTwo(
          (long) rowCount * n,
          () -> scale(x, n, 0, half, fill, center, scale),
          () -> scale(x, n, half, rowCount, fill, center, scale));
      return x;
    }
    float[] out = new float[Math.multiplyExact(rows.length, width)];
    List<Map<Integer, Integer>> codeToIndex = new ArrayList<>();
    for (int k = 0; k < at.length; k++) {
      Column c = columns.get(k);
      Map<Integer, Integer> m = new HashMap<>();
      if (!c.numeric()) {
        CsvTable.Dictionary d = t.dictionaries.get(t.slot[at[k]]);
        for (int code = 0; code < d.values.size(); code++) {
          m.put(code, c.categories().indexOf(d.values.get(code)));
        }
      }
      codeToIndex.add(m);
    }
    for (int i = 0; i < rows.length; i++) {
      int r = rows[i];
      int o = i * width;
      for (int k = 0; k < columns.size(); k++) {
        Column c = columns.get(k);
        int slot = t.slot[at[k]];
        if (c.numeric()) {
          float v = t.numeric[r * t.numericColumns + slot];
          out[o++] = ((Float.isNaN(v) ? c.fill() : v) - c.center()) / c.scale();
        } else {
          int code = t.codes[slot][r];
          int one = code < 0 ? (int) c.fill() : codeToIndex.get(k).get(code);
          if (one < 0) {
            throw new InputFileException(
                t.at(r, at[k])
                    + ": the category '"
                    + t.dictionaries.get(slot).values.get(code)
                    + "' is not among the training rows' "
                    + CsvDatasetFactory.shortList(c.categories()));
          }
          out[o + one] = 1f;
          o += c.width();
        }
      }
    }
    return out;
  }

  /** Rows {@code [from, to)} of a row-major array filled and scaled in place, row by row. */
  private static void scale(
      float[] x, int n, int from, int to, float[] fill, float[] center, float[] scale) {
    for (int r = from; r < to; r++) {
      int o = r * n;
      for (int j = 0; j < n; j++) {
        float v = x[o + j];
        x[o + j] = ((Float.isNaN(v) ? fill[j] : v) - center[j]) / scale[j];
      }
    }
  }

  /** The preprocessing as JSON, for a checkpoint's metadata. */
  String toJson() {
    StringBuilder b = new StringBuilder();
    b.append("{\"format\":\"mlp-table/1\",\"label\":").append(str(label));
    b.append(",\"task\":").append(str(task));
    b.append(",\"classes\":").append(strs(classes));
    b.append(",\"missing\":").append(str(missing));
    b.append(",\"normalize\":").append(str(normalize));
    b.append(",\"ignored\":").append(strs(ignored));
    b.append(",\"columns\":[");
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      b.append(i == 0 ? "" : ",").append("{\"name\":").append(str(c.name()));
      if (c.numeric()) {
        b.append(",\"kind\":\"numeric\",\"center\":").append(num(c.center()));
        b.append(",\"scale\":").append(num(c.scale())).append(",\"fill\":").append(num(c.fill()));
      } else {
        b.append(",\"kind\":\"categorical\",\"categories\":").append(strs(c.categories()));
        b.append(",\"fill\":").append((int) c.fill());
      }
      b.append('}');
    }
    return b.append("]}").toString();
  }

  private static String num(float v) {
    return String.format(Locale.ROOT, "%s", v);
  }

  private static String strs(List<String> s) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < s.size(); i++) {
      b.append(i == 0 ? "" : ",").append(str(s.get(i)));
    }
    return b.append(']').toString();
  }

  static String str(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (ch < 0x20) {
            b.append(String.format("\\u%04x", (int) ch));
          } else {
            b.append(ch);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
