package dev.mlp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlp.core.train.ClassificationMetrics;
import java.util.Locale;

/**
 * A {@link ClassificationMetrics} as users see it: the table {@code mlp eval} prints, and the JSON
 * that {@code mlp eval --json} prints and summary.json holds (docs/RUNS.md).
 */
final class Metrics {
  private Metrics() {}

  /** Fills {@code o} with test, classes, per_class, macro and confusion. */
  static ObjectNode json(ClassificationMetrics m, ObjectNode o) {
    ObjectNode test = o.putObject("test");
    test.put("loss", m.loss());
    test.put("accuracy", m.accuracy());
    test.put("count", m.count());
    ArrayNode classes = o.putArray("classes");
    ArrayNode per = o.putArray("per_class");
    for (int c = 0; c < m.classes(); c++) {
      classes.add(String.valueOf(c));
      ObjectNode k = per.addObject();
      k.put("class", String.valueOf(c));
      k.put("precision", m.precision(c));
      k.put("recall", m.recall(c));
      k.put("f1", m.f1(c));
      k.put("support", m.support(c));
    }
    ObjectNode macro = o.putObject("macro");
    macro.put("precision", m.macroPrecision());
    macro.put("recall", m.macroRecall());
    macro.put("f1", m.macroF1());
    ArrayNode confusion = o.putArray("confusion");
    for (long[] row : m.confusionMatrix()) {
      ArrayNode r = confusion.addArray();
      for (long v : row) {
        r.add(v);
      }
    }
    return o;
  }

  static ObjectNode json(ClassificationMetrics m) {
    return json(m, new ObjectMapper().createObjectNode());
  }

  /** Accuracy and loss, a per-class table and the confusion matrix, for a terminal. */
  static String table(ClassificationMetrics m) {
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
            "%-7s %9s %8s %8s %8s%n",
            "class",
            "precision",
            "recall",
            "f1",
            "support"));
    for (int c = 0; c < m.classes(); c++) {
      b.append(
          String.format(
              Locale.ROOT,
              "%-7s %9.4f %8.4f %8.4f %8d%n",
              c,
              m.precision(c),
              m.recall(c),
              m.f1(c),
              m.support(c)));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "%-7s %9.4f %8.4f %8.4f %8d%n%n",
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
}
