package dev.mlp.run.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlp.run.folder.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a trial stands, read from the sweep folder alone (so it reads the same whoever ran the
 * trial: a local process or a Slurm task): {@code trials/NNNN.status.json}, written when its
 * training ended, and the run folder {@code trials/NNNN}.
 *
 * @param state {@code done}, {@code failed}, {@code pruned} (stopped by the sweep's pruner), {@code
 *     unfinished} (a run folder without an end: a killed or cancelled trial, resumed by {@code mlp
 *     sweep --resume}) or {@code pending}
 * @param metric the sweep's metric for the kept weights (the run's summary; else its last epoch),
 *     NaN when there is none
 * @param best the metric's best value over the epochs
 * @param epochs epochs trained
 * @param seconds the training's wall time, NaN if unknown
 * @param error the failure's one line, or null
 */
public record TrialResult(
    SweepPlan.Trial trial,
    String state,
    double metric,
    double best,
    int epochs,
    double seconds,
    String error) {

  /** The trial's run folder. */
  public static Path runDir(Path sweep, SweepPlan.Trial t) {
    return sweep.resolve("trials").resolve(t.name());
  }

  static Path statusFile(Path sweep, SweepPlan.Trial t) {
    return sweep.resolve("trials").resolve(t.name() + ".status.json");
  }

  /** Whether a trial in {@code state} has ended for good: done, failed or pruned. */
  public static boolean ended(String state) {
    return state.equals("done") || state.equals("failed") || state.equals("pruned");
  }

  /** Records how a trial's training ended: done (exit 0) or failed. */
  public static void record(Path sweep, SweepPlan.Trial t, int exit, String error, double seconds)
      throws IOException {
    record(sweep, t, exit == 0 ? "done" : "failed", exit, error, seconds);
  }

  /**
   * Records how a trial's training ended, in {@code state} ({@code done}, {@code failed} or {@code
   * pruned}, whose {@code error} is the pruner's reason).
   */
  public static void record(
      Path sweep, SweepPlan.Trial t, String state, int exit, String error, double seconds)
      throws IOException {
    var o = new ObjectMapper().createObjectNode();
    o.put("state", state);
    o.put("exit", exit);
    if (error != null) {
      o.put("error", error);
    }
    o.put("seconds", seconds);
    AtomicFile.write(statusFile(sweep, t), new ObjectMapper().writeValueAsBytes(o));
  }

  /** Forgets how a trial ended (before it is run again). */
  public static void forget(Path sweep, SweepPlan.Trial t) throws IOException {
    Files.deleteIfExists(statusFile(sweep, t));
  }

  public static TrialResult read(Path sweep, SweepPlan plan, SweepPlan.Trial t) {
    Path dir = runDir(sweep, t);
    String state = Files.isDirectory(dir) ? "unfinished" : "pending";
    String error = null;
    double seconds = Double.NaN;
    try {
      Path status = statusFile(sweep, t);
      if (Files.isRegularFile(status)) {
        JsonNode s = new ObjectMapper().readTree(Files.readString(status));
        state = s.path("state").asText(state);
        error = s.hasNonNull("error") ? s.get("error").asText() : null;
        seconds = s.path("seconds").asDouble(Double.NaN);
      }
    } catch (IOException e) {
      error = "cannot read its status: " + e.getMessage();
    }
    double metric = Double.NaN;
    double best = Double.NaN;
    int epochs = 0;
    ObjectMapper json = new ObjectMapper();
    try {
      Path metrics = dir.resolve("metrics.jsonl");
      if (Files.isRegularFile(metrics)) {
        for (String line : Files.readAllLines(metrics)) {
          if (!line.contains("\"kind\":\"epoch\"")) {
            continue;
          }
          JsonNode e = json.readTree(line);
          epochs = Math.max(epochs, e.path("epoch").asInt());
          JsonNode v = e.get(plan.metric());
          if (v != null && v.isNumber()) {
            metric = v.asDouble();
            best =
                Double.isNaN(best)
                    ? metric
                    : plan.maximize() ? Math.max(best, metric) : Math.min(best, metric);
          }
        }
      }
      Path summary = dir.resolve("summary.json");
      if (Files.isRegularFile(summary) && plan.metric().startsWith("test_")) {
        JsonNode v =
            json.readTree(Files.readString(summary)).path("test").get(plan.metric().substring(5));
        if (v != null && v.isNumber()) {
          metric = v.asDouble(); // the kept weights' (the best epoch's, with a validation split)
        }
      }
    } catch (IOException | RuntimeException e) {
      // a run folder being written: read again later
    }
    return new TrialResult(t, state, metric, best, epochs, seconds, error);
  }

  /**
   * The trial's metric after each epoch so far, from its {@code metrics.jsonl} ({@code [0]} is
   * epoch 1; NaN where an epoch line lacks the metric); empty when it has no epoch yet. A line
   * being written is skipped.
   */
  public static double[] curve(Path sweep, SweepPlan.Trial t, String metric) {
    Path metrics = runDir(sweep, t).resolve("metrics.jsonl");
    java.util.TreeMap<Integer, Double> byEpoch = new java.util.TreeMap<>();
    ObjectMapper json = new ObjectMapper();
    try {
      if (Files.isRegularFile(metrics)) {
        for (String line : Files.readAllLines(metrics)) {
          if (!line.contains("\"kind\":\"epoch\"")) {
            continue;
          }
          try {
            JsonNode e = json.readTree(line);
            JsonNode v = e.get(metric);
            byEpoch.put(
                e.path("epoch").asInt(), v != null && v.isNumber() ? v.asDouble() : Double.NaN);
          } catch (IOException | RuntimeException partial) {
            // the last line, half-written
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // unreadable now: as if no epoch had ended
    }
    int n = byEpoch.isEmpty() ? 0 : byEpoch.lastKey();
    double[] c = new double[Math.max(0, n)];
    java.util.Arrays.fill(c, Double.NaN);
    byEpoch.forEach(
        (epoch, v) -> {
          if (epoch >= 1) {
            c[epoch - 1] = v;
          }
        });
    return c;
  }

  /** The metric as the table shows it. */
  public String metricText() {
    return text(metric);
  }

  public static String text(double v) {
    return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.4f", v);
  }
}
