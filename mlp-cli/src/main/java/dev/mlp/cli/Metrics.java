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

  /** A class name cut to fit its column, control characters escaped. */
  private static String clip(String name) {
    String n = dev.mlp.run.OneLine.escape(name);
    return n.length() > 24 ? n.substring(0, 23) + "…" : n;
  }
}
