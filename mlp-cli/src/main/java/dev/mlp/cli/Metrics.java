package dev.mlp.cli;

import dev.mlp.core.train.ClassificationMetrics;
import java.util.Locale;

/** A {@link ClassificationMetrics} as {@code mlp eval} prints it for a terminal. */
final class Metrics {
  private Metrics() {}

  /** Accuracy and loss, a per-class table and the confusion matrix, for a terminal. */
  static String table(ClassificationMetrics m) {
    return table(m, java.util.List.of());
  }

  /**
   * {@link #table(ClassificationMetrics)} with the classes named by {@code names} (their numbers
   * when empty); the confusion matrix's rows and columns are numbered, with a key to the names.
   */
  static String table(ClassificationMetrics m, java.util.List<String> names) {
    boolean numbered = true;
    for (int c = 0; c < names.size(); c++) {
      numbered &= names.get(c).equals(String.valueOf(c));
    }
    if (numbered) {
      names = java.util.List.of(); // MNIST's digits: the numbers are the names
    }
    int nameWidth = 7;
    for (String n : names) {
      nameWidth = Math.max(nameWidth, Math.min(24, n.length()));
    }
    String nameCol = "%-" + nameWidth + "s";
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "accuracy %.4f   loss %.4f   (%,d samples)%n%n",
            m.accuracy(),
            m.loss(),
            m.count()));
    b.append(
        String.format(
            Locale.ROOT,
            nameCol + " %9s %8s %8s %8s%n",
            "class",
            "precision",
            "recall",
            "f1",
            "support"));
    for (int c = 0; c < m.classes(); c++) {
      b.append(
          String.format(
              Locale.ROOT,
              nameCol + " %9.4f %8.4f %8.4f %8d%n",
              c < names.size() ? clip(names.get(c)) : String.valueOf(c),
              m.precision(c),
              m.recall(c),
              m.f1(c),
              m.support(c)));
    }
    b.append(
        String.format(
            Locale.ROOT,
            nameCol + " %9.4f %8.4f %8.4f %8d%n%n",
            "macro",
            m.macroPrecision(),
            m.macroRecall(),
            m.macroF1(),
            m.count()));
    long[][] cm = m.confusionMatrix();
    long max = 1;
    for (long[] row : cm) {
      for (long v : row) {
        max = Math.max(max, v);
      }
    }
    int w = Math.max(4, Long.toString(max).length() + 1);
    b.append("confusion matrix (rows: true class, columns: predicted)\n");
    if (!names.isEmpty()) {
      b.append("  (");
      for (int c = 0; c < names.size(); c++) {
        b.append(c == 0 ? "" : ", ").append(c).append(" = ").append(clip(names.get(c)));
      }
      b.append(")\n");
    }
    b.append(String.format("%6s", ""));
    for (int c = 0; c < m.classes(); c++) {
      b.append(String.format("%" + w + "d", c));
    }
    b.append('\n');
    for (int r = 0; r < cm.length; r++) {
      b.append(String.format("%6d", r));
      for (long v : cm[r]) {
        b.append(String.format("%" + w + "d", v));
      }
      b.append('\n');
    }
    return b.toString();
  }

  /**
   * Rows of cells as aligned columns, two spaces apart: the first {@code left} columns aligned left
   * (names), the rest right (numbers), up to column {@code last} (exclusive), after which a cell is
   * written as it is (a free-text last column); every cell clipped and escaped as a class name is.
   */
  static String columns(java.util.List<String[]> rows, int left, int last) {
    int n = 0;
    for (String[] r : rows) {
      n = Math.max(n, r.length);
    }
    int[] width = new int[n];
    for (String[] r : rows) {
      for (int c = 0; c < Math.min(r.length, last); c++) {
        width[c] = Math.max(width[c], clip(r[c]).length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < r.length; c++) {
        String cell = c < last ? clip(r[c]) : dev.mlp.run.OneLine.escape(r[c]);
        if (c > 0) {
          line.append("  ");
        }
        if (c >= last) {
          line.append(cell);
        } else if (c < left) {
          line.append(cell).append(" ".repeat(width[c] - cell.length()));
        } else {
          line.append(" ".repeat(width[c] - cell.length())).append(cell);
        }
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    return b.toString();
  }

  /** A class name cut to fit its column, control characters escaped. */
  private static String clip(String name) {
    String n = dev.mlp.run.OneLine.escape(name);
    return n.length() > 24 ? n.substring(0, 23) + "…" : n;
  }
}
