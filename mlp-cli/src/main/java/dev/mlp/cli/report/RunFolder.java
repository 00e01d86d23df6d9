package dev.mlp.cli.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run folder as docs/RUNS.md describes it, read and checked.
 *
 * <p>Only {@code metrics.jsonl} is required. {@code summary.json} is absent while a run trains and
 * after an interruption; {@code config.yaml} should always be there, but a report without it is
 * still useful, so its absence is only noted on the page.
 *
 * @param epochs the {@code epoch} lines, in file order
 * @param summary {@code summary.json}, or null when the run has none
 * @param config {@code config.yaml} verbatim, or null when the run has none
 */
record RunFolder(Path dir, List<Epoch> epochs, Summary summary, String config) {

  static final String METRICS = "metrics.jsonl";
  static final String SUMMARY = "summary.json";
  static final String CONFIG = "config.yaml";

  /** The measurements of an {@code epoch} line that the report plots. */
  static final List<String> MEASURES =
      List.of(
          "loss",
          "train_accuracy",
          "test_loss",
          "test_accuracy",
          "validation_loss",
          "validation_accuracy");

  /**
   * One {@code epoch} line of metrics.jsonl.
   *
   * @param values the {@link #MEASURES} the line holds (a missing measurement is left out)
   */
  record Epoch(int epoch, Map<String, Double> values) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The folder's name: what the report calls the run. */
  String name() {
    Path n = dir.toAbsolutePath().normalize().getFileName();
    return n == null ? dir.toString() : n.toString();
  }

  /** Reads {@code dir}, failing with a one-line message if it is not a run folder. */
  static RunFolder read(Path dir) throws ReportException {
    if (!Files.exists(dir)) {
      throw new ReportException(dir + ": no such run folder");
    }
    if (!Files.isDirectory(dir)) {
      throw new ReportException(
          dir + ": expected a run folder (runs/<name>-<time>/ that mlp train writes), got a file");
    }
    Path metrics = dir.resolve(METRICS);
    if (!Files.isRegularFile(metrics)) {
      throw new ReportException(
          metrics
              + ": no such file; "
              + dir
              + " is not a run folder (mlp train writes "
              + METRICS
              + " into every run folder)");
    }
    List<Epoch> epochs = readMetrics(metrics);
    Path summary = dir.resolve(SUMMARY);
    Path config = dir.resolve(CONFIG);
    return new RunFolder(
        dir,
        epochs,
        Files.exists(summary) ? Summary.read(summary) : null,
        Files.exists(config) ? readText(config) : null);
  }

  /**
   * The {@code epoch} lines of metrics.jsonl. {@code step} lines are checked but not kept: their
   * loss and accuracy are running means that restart every epoch, so plotted next to the epoch
   * points they would draw a saw tooth rather than a finer curve. Lines of other kinds are skipped,
   * so that a newer mlp can add some. A last line without its line break is being written right now
   * by a training that runs; it is skipped if it is not whole yet.
   */
  private static List<Epoch> readMetrics(Path file) throws ReportException {
    String text = readText(file);
    String[] lines = text.split("\n", -1);
    List<Epoch> epochs = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      String at = file + ":" + (i + 1) + ": ";
      JsonNode o;
      try {
        o = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        if (i == lines.length - 1) {
          break; // the line training is appending right now
        }
        throw new ReportException(
            at + "expected one JSON object per line, got " + excerpt(line), e);
      }
      if (!o.isObject()) {
        throw new ReportException(at + "expected one JSON object per line, got " + excerpt(line));
      }
      JsonNode kind = o.get("kind");
      if (kind == null || !kind.isTextual()) {
        throw new ReportException(at + "expected a \"kind\" (\"step\" or \"epoch\")");
      }
      if (kind.textValue().equals("epoch")) {
        epochs.add(epoch(o, at));
      }
    }
    return List.copyOf(epochs);
  }

  private static Epoch epoch(JsonNode o, String at) throws ReportException {
    JsonNode n = o.get("epoch");
    if (n == null || !n.canConvertToExactIntegral() || n.intValue() < 1) {
      throw new ReportException(at + "expected \"epoch\" to be an epoch number (1, 2, ...)");
    }
    Map<String, Double> values = new LinkedHashMap<>();
    for (String m : MEASURES) {
      JsonNode v = o.get(m);
      if (v == null) {
        continue;
      }
      if (!v.isNumber()) {
        throw new ReportException(
            at + "expected \"" + m + "\" to be a number or left out, got " + excerpt(v.toString()));
      }
      values.put(m, v.doubleValue());
    }
    return new Epoch(n.intValue(), Map.copyOf(values));
  }

  private static String readText(Path file) throws ReportException {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new ReportException(file + ": cannot read it as UTF-8 text: " + e, e);
    }
  }

  private static String excerpt(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
