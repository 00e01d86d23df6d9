package dev.mlp.run.folder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlp.core.train.EpochMetrics;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * One training run's folder (layout in docs/RUNS.md): the resolved config, the metrics log, the
 * checkpoints, the summary and the report. Every file but the append-only metrics log is written
 * atomically.
 */
public final class RunFolder implements AutoCloseable {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private final Path dir;
  private final ObjectMapper json = new ObjectMapper();
  private Writer metrics;

  private RunFolder(Path dir) {
    this.dir = dir;
  }

  /**
   * A new run folder: {@code out} when given (it must not already hold a run), else {@code
   * <name>-<timestamp>} under {@link #runsRoot()}.
   */
  public static RunFolder create(Path out, String name) throws IOException {
    Path dir = out;
    if (dir == null) {
      String base =
          name.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + LocalDateTime.now().format(STAMP);
      Path root = runsRoot();
      dir = root.resolve(base);
      for (int i = 2; Files.exists(dir); i++) {
        dir = root.resolve(base + "-" + i);
      }
    } else if (Files.exists(dir.resolve("metrics.jsonl"))
        || Files.exists(dir.resolve("checkpoints"))) {
      throw new RunException(
          dir
              + ": already holds a run; continue it with --resume "
              + dir
              + " or choose another --out folder");
    } else if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new RunException(dir + ": --out must be a folder, but this is a file");
    }
    Files.createDirectories(dir.resolve("checkpoints"));
    return new RunFolder(dir);
  }

  /** Where runs go without --out: $MLP_RUNS, else runs/ under the current directory. */
  public static Path runsRoot() {
    String env = System.getenv("MLP_RUNS");
    return env != null && !env.isBlank() ? Path.of(env) : Path.of("runs");
  }

  /** An existing run folder, to resume or report on. */
  public static RunFolder open(Path dir) throws RunException {
    if (!Files.isDirectory(dir) || !Files.exists(dir.resolve("checkpoints"))) {
      throw new RunException(dir + ": not a run folder (it has no checkpoints/ folder)");
    }
    return new RunFolder(dir);
  }

  public Path dir() {
    return dir;
  }

  public Path config() {
    return dir.resolve("config.yaml");
  }

  public Path metrics() {
    return dir.resolve("metrics.jsonl");
  }

  public Path last() {
    return dir.resolve("checkpoints").resolve("last.safetensors");
  }

  public Path best() {
    return dir.resolve("checkpoints").resolve("best.safetensors");
  }

  public Path summary() {
    return dir.resolve("summary.json");
  }

  /** Appends one line to metrics.jsonl and flushes it. */
  public void log(ObjectNode line) throws IOException {
    if (metrics == null) {
      metrics =
          Files.newBufferedWriter(
              metrics(),
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
    }
    metrics.write(json.writeValueAsString(line));
    metrics.write('\n');
    metrics.flush();
  }

  /** The metrics line of an epoch, as docs/RUNS.md describes it. */
  public ObjectNode epochLine(EpochMetrics m) {
    ObjectNode o = json.createObjectNode();
    o.put("kind", "epoch");
    o.put("epoch", m.epoch());
    o.put("steps", m.steps());
    o.put("loss", m.loss());
    o.put("train_accuracy", m.trainAccuracy());
    o.put("test_loss", m.testLoss());
    o.put("test_accuracy", m.testAccuracy());
    if (m.hasValidation()) {
      o.put("validation_loss", m.validationLoss());
      o.put("validation_accuracy", m.validationAccuracy());
    }
    o.put("lr", m.learningRate());
    o.put("seconds", m.seconds());
    o.put("eval_seconds", m.evalSeconds());
    return o;
  }

  /**
   * Drops the metrics lines of steps after {@code step} (what a resumed run will redo) and returns
   * the epochs that remain.
   */
  public List<EpochMetrics> keepMetricsUpTo(long step) throws IOException {
    List<EpochMetrics> epochs = new ArrayList<>();
    if (!Files.exists(metrics())) {
      return epochs;
    }
    List<String> kept = new ArrayList<>();
    int n = 0;
    for (String line : Files.readAllLines(metrics(), StandardCharsets.UTF_8)) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      JsonNode o;
      try {
        o = json.readTree(line);
      } catch (IOException e) {
        // a line cut short by kill -9 can only be the last one
        if (isLast(n)) {
          break;
        }
        throw new RunException(metrics() + ":" + n + ": not a JSON line");
      }
      boolean epoch = "epoch".equals(o.path("kind").asText());
      long at = epoch ? o.path("steps").asLong(-1) : o.path("step").asLong(-1);
      if (at < 0 || at > step) {
        continue;
      }
      kept.add(line);
      if (epoch) {
        epochs.add(
            new EpochMetrics(
                o.path("epoch").asInt(),
                at,
                o.path("loss").asDouble(),
                o.path("train_accuracy").asDouble(),
                o.path("test_loss").asDouble(),
                o.path("test_accuracy").asDouble(),
                o.path("seconds").asDouble(),
                o.path("eval_seconds").asDouble(),
                o.path("lr").asDouble(),
                o.has("validation_loss") ? o.get("validation_loss").asDouble() : Double.NaN,
                o.has("validation_accuracy")
                    ? o.get("validation_accuracy").asDouble()
                    : Double.NaN));
      }
    }
    StringBuilder text = new StringBuilder();
    kept.forEach(l -> text.append(l).append('\n'));
    AtomicFile.write(metrics(), text.toString().getBytes(StandardCharsets.UTF_8));
    return epochs;
  }

  private boolean isLast(int lineNumber) throws IOException {
    return lineNumber == Files.readAllLines(metrics(), StandardCharsets.UTF_8).size();
  }

  @Override
  public void close() throws IOException {
    if (metrics != null) {
      metrics.close();
      metrics = null;
    }
  }
}
