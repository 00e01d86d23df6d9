package dev.mlp.cli.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Run folders as mlp train writes them (docs/RUNS.md), with known numbers: loss falls and accuracy
 * rises every epoch, and the 10×10 confusion matrix is strongly diagonal with one lopsided mistake,
 * 300 fours taken for nines against 5 nines taken for fours.
 */
public final class RunFixture {
  /** A config whose comment needs HTML escaping. */
  public static final String CONFIG =
      "name: mnist-2layer\nseed: 42\n# widths <128> & \"10\"\nmodel:\n  layers:\n"
          + "    - type: linear\n      units: 128\n";

  /** What summary.json says of the test set: 9,230 of 10,000 right. */
  public static final double TEST_ACCURACY = 0.923;

  public static final double TEST_LOSS = 0.2512;

  private static final ObjectMapper JSON = new ObjectMapper();

  private RunFixture() {}

  /**
   * Writes {@code parent/name} with {@code epochs} epochs (three step lines before each epoch line)
   * and, when asked, validation measurements and a summary.json.
   */
  public static Path write(
      Path parent, String name, int epochs, boolean validation, boolean summary)
      throws IOException {
    Path dir = Files.createDirectories(parent.resolve(name));
    Files.writeString(dir.resolve("config.yaml"), CONFIG);
    StringBuilder metrics = new StringBuilder();
    for (int e = 1; e <= epochs; e++) {
      for (int s = 1; s <= 3; s++) {
        ObjectNode step = JSON.createObjectNode().put("kind", "step").put("epoch", e);
        step.put("step", (e - 1) * 1875 + s * 600).put("loss", 5.0).put("accuracy", 0.1);
        metrics.append(step.put("lr", 0.01).put("samples_per_second", 61234.5)).append('\n');
      }
      double decay = Math.exp(-(e - 1) / 2.5);
      ObjectNode line = JSON.createObjectNode().put("kind", "epoch").put("epoch", e);
      line.put("steps", 1875 * e).put("loss", 0.25 + 0.75 * decay);
      line.put("train_accuracy", 0.95 - 0.3 * decay);
      line.put("test_loss", 0.3 + 0.8 * decay).put("test_accuracy", 0.93 - 0.3 * decay);
      if (validation) {
        line.put("validation_loss", 0.28 + 0.78 * decay);
        line.put("validation_accuracy", 0.94 - 0.3 * decay);
      }
      metrics.append(line.put("lr", 0.01).put("seconds", 0.21).put("eval_seconds", 0.015));
      metrics.append('\n');
    }
    Files.writeString(dir.resolve("metrics.jsonl"), metrics);
    if (summary) {
      Files.writeString(dir.resolve("summary.json"), summary(epochs).toPrettyString());
    }
    return dir;
  }

  /**
   * A regressor's run folder: {@code epochs} epochs of falling test RMSE, and a summary.json whose
   * points pair 200 targets from 0 to 199 with {@code prediction} of each.
   */
  public static Path writeRegression(
      Path parent, String name, int epochs, java.util.function.DoubleUnaryOperator prediction)
      throws IOException {
    Path dir = Files.createDirectories(parent.resolve(name));
    Files.writeString(dir.resolve("config.yaml"), "name: temp\n");
    StringBuilder metrics = new StringBuilder();
    for (int e = 1; e <= epochs; e++) {
      double rmse = 2 + 10 * Math.exp(-(e - 1) / 2.5);
      ObjectNode line = JSON.createObjectNode().put("kind", "epoch").put("epoch", e);
      line.put("steps", 37 * e).put("loss", rmse * rmse + 1).put("test_loss", rmse * rmse);
      line.put("test_mae", rmse * 0.8).put("test_rmse", rmse).put("test_r2", 1 - rmse / 20);
      metrics.append(line.put("lr", 0.003).put("seconds", 0.2)).append('\n');
    }
    Files.writeString(dir.resolve("metrics.jsonl"), metrics);
    ObjectNode s = JSON.createObjectNode().put("name", "temp");
    s.put("kept_epoch", epochs).put("stopped_early", false).put("task", "regression");
    s.putObject("test")
        .put("loss", 4.0)
        .put("mae", 1.6)
        .put("rmse", 2.0)
        .put("r2", 0.9)
        .put("count", 200);
    ObjectNode points = s.putObject("points");
    ArrayNode actual = points.putArray("actual");
    ArrayNode predicted = points.putArray("predicted");
    for (int i = 0; i < 200; i++) {
      actual.add((double) i);
      predicted.add(prediction.applyAsDouble(i));
    }
    Files.writeString(dir.resolve("summary.json"), s.toPrettyString());
    return dir;
  }

  /** Row {@code i} is true class {@code i}: 950 right (680 for the fours), 1,000 in all. */
  public static long[][] confusion() {
    long[][] c = new long[10][10];
    for (int i = 0; i < 10; i++) {
      for (int j = 0; j < 10; j++) {
        c[i][j] = i == 4 ? 2 : 5;
      }
      if (i == 4) {
        c[4][4] = 680;
        c[4][9] = 300;
        c[4][5] = 6;
      } else {
        c[i][i] = 950;
        c[i][(i + 1) % 10] = 10;
      }
    }
    return c;
  }

  private static ObjectNode summary(int keptEpoch) {
    long[][] c = confusion();
    ObjectNode s = JSON.createObjectNode().put("name", "mnist-2layer");
    s.put("kept_epoch", keptEpoch).put("stopped_early", false);
    s.putObject("test").put("loss", TEST_LOSS).put("accuracy", TEST_ACCURACY).put("count", 10000);
    ArrayNode classes = s.putArray("classes");
    ArrayNode rows = s.putArray("confusion");
    ArrayNode perClass = s.putArray("per_class");
    List<double[]> scores = new ArrayList<>();
    for (int k = 0; k < 10; k++) {
      classes.add(String.valueOf(k));
      ArrayNode row = rows.addArray();
      long predicted = 0;
      long support = 0;
      for (int j = 0; j < 10; j++) {
        row.add(c[k][j]);
        predicted += c[j][k];
        support += c[k][j];
      }
      double precision = (double) c[k][k] / predicted;
      double recall = (double) c[k][k] / support;
      double f1 = 2 * precision * recall / (precision + recall);
      scores.add(new double[] {precision, recall, f1});
      perClass
          .addObject()
          .put("class", String.valueOf(k))
          .put("precision", precision)
          .put("recall", recall)
          .put("f1", f1)
          .put("support", support);
    }
    ObjectNode macro = s.putObject("macro");
    String[] names = {"precision", "recall", "f1"};
    for (int m = 0; m < 3; m++) {
      int col = m;
      macro.put(names[m], scores.stream().mapToDouble(x -> x[col]).average().orElseThrow());
    }
    return s;
  }
}
