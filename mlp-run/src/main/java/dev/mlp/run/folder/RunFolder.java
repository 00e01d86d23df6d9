package dev.mlp.run.folder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlp.core.train.EpochMetrics;
import dev.mlp.data.files.InputFileException;
import dev.mlp.data.files.InputFiles;
import dev.mlp.run.config.ConfigLoader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One training run's folder (layout in docs/RUNS.md): the resolved config, the metrics log, the
 * checkpoints, the summary and the report. The only code that knows the files' names and the JSON
 * keys of {@code metrics.jsonl} and {@code summary.json}: everything else reads and writes them as
 * {@link EpochMetrics}, {@link StepLine} and {@link Summary}. Every file but the append-only
 * metrics log is written atomically.
 */
public final class RunFolder implements AutoCloseable {
  static final String METRICS = "metrics.jsonl";
  static final String SUMMARY = "summary.json";
  static final String CONFIG = "config.yaml";
  static final String CHECKPOINTS = "checkpoints";

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The prefix of each split's measures in an epoch line; the training loss has none. */
  private static final Map<String, String> SPLIT_PREFIX =
      Map.of("train", "train_", "test", "test_", "validation", "validation_");

  /** The longest metrics.jsonl line read, in bytes: mlp writes lines of a few hundred. */
  static final int MAX_LINE_BYTES = 1 << 20;

  /** The largest summary.json read: its confusion matrix grows with the square of the classes. */
  static final long MAX_SUMMARY_BYTES = 256L << 20;

  private final Path dir;
  private final boolean made;
  private Writer metrics;

  /** This process's hold on the folder while it trains in it; null for a folder read to report. */
  private RunLock lock;

  /** The step metrics.jsonl is cut at before a resumed run writes its first line; -1: none. */
  private long cutAt = -1;

  // what read() found; empty for a folder opened to train in
  private final List<EpochMetrics> epochs;
  private final Summary summary;
  private final String configText;

  private RunFolder(Path dir) {
    this(dir, false);
  }

  private RunFolder(Path dir, boolean made) {
    this(dir, made, List.of(), null, null);
  }

  private RunFolder(
      Path dir, boolean made, List<EpochMetrics> epochs, Summary summary, String configText) {
    this.dir = dir;
    this.made = made;
    this.epochs = epochs;
    this.summary = summary;
    this.configText = configText;
  }

  /**
   * A new run folder, locked for this process ({@link RunLock}, released by {@link #unlock}):
   * {@code out} when given (it must not already hold a run), else {@code <name>-<timestamp>} under
   * {@link #runsRoot()}.
   *
   * @throws RunBusyException when another mlp process is writing {@code out}
   */
  public static RunFolder create(Path out, String name) throws IOException {
    Path dir = out;
    boolean made;
    if (dir == null) {
      String base =
          name.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + LocalDateTime.now().format(STAMP);
      Path root = runsRoot();
      Files.createDirectories(root);
      // two runs started in the same second each get a folder of their own
      for (int i = 1; ; i++) {
        dir = root.resolve(i == 1 ? base : base + "-" + i);
        try {
          Files.createDirectory(dir);
          break;
        } catch (java.nio.file.FileAlreadyExistsException e) {
          // taken: the next suffix
        }
      }
      made = true;
    } else {
      checkNoRun(dir);
      made = !Files.exists(dir);
      try {
        Files.createDirectories(dir);
      } catch (java.nio.file.FileSystemException e) {
        throw new RunException(dir + ": cannot create the run folder: " + InputFiles.reason(e), e);
      }
    }
    RunLock lock = RunLock.acquire(dir, "mlp train");
    try {
      checkNoRun(dir); // again under the lock: another process may have started a run here
      Files.createDirectories(dir.resolve(CHECKPOINTS));
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
    RunFolder folder = new RunFolder(dir, made);
    folder.lock = lock;
    return folder;
  }

  /** Refuses a folder that holds a run, is a file, or holds a file a run would overwrite. */
  private static void checkNoRun(Path dir) throws RunException {
    if (Files.exists(dir.resolve(METRICS)) || Files.exists(dir.resolve(CHECKPOINTS))) {
      throw new RunException(
          dir
              + ": already holds a run; continue it with --resume "
              + dir
              + " or choose another --out folder");
    } else if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new RunException(dir + ": --out must be a folder, but this is a file");
    }
    for (String file : WRITTEN) {
      if (Files.exists(dir.resolve(file), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw new RunException(
            dir
                + ": --out holds "
                + file
                + ", which the run would overwrite; choose a new or empty folder"
                + " (files of other names may stay)");
      }
    }
  }

  /**
   * Removes what this run wrote, for a run that ended before its first checkpoint: a folder with no
   * checkpoint can be neither resumed nor trained into again. Files of other names stay, and so
   * does the folder if the user had made it. Returns whether the folder itself is gone.
   */
  public boolean discard() throws IOException {
    close();
    for (String name : List.of(METRICS, CONFIG, SUMMARY)) {
      Files.deleteIfExists(dir.resolve(name));
    }
    if (lock != null) {
      Files.deleteIfExists(lock.file()); // still held: whoever opened it meanwhile tries again
    }
    Path checkpoints = dir.resolve(CHECKPOINTS);
    try (var left = Files.list(checkpoints)) {
      if (left.findAny().isEmpty()) {
        Files.delete(checkpoints);
      }
    }
    try {
      if (made) {
        try (var left = Files.list(dir)) {
          if (left.findAny().isEmpty()) {
            Files.delete(dir);
            return true;
          }
        }
      }
      return false;
    } finally {
      unlock();
    }
  }

  /** The files a run writes into its folder besides metrics.jsonl and checkpoints/. */
  public static final java.util.List<String> WRITTEN =
      java.util.List.of(
          CONFIG,
          SUMMARY,
          "report.html",
          "loss.png",
          "accuracy.png",
          "confusion.png",
          "rmse.png",
          "predicted.png");

  /** Where runs go without --out: $MLP_RUNS, else runs/ under the current directory. */
  public static Path runsRoot() {
    String env = System.getenv("MLP_RUNS");
    return env != null && !env.isBlank() ? Path.of(env) : Path.of("runs");
  }

  /**
   * An existing run folder, to resume, locked for this process ({@link RunLock}, released by {@link
   * #unlock}).
   *
   * @throws RunBusyException when another mlp process is training or reporting in it
   */
  public static RunFolder open(Path dir) throws RunException {
    if (!Files.isDirectory(dir) || !Files.exists(dir.resolve(CHECKPOINTS))) {
      throw new RunException(dir + ": not a run folder (it has no checkpoints/ folder)");
    }
    RunFolder folder = new RunFolder(dir);
    folder.lock = RunLock.acquire(dir, "mlp train --resume");
    return folder;
  }

  /** Lets other processes write the folder again; closes the metrics log first. */
  public void unlock() throws IOException {
    try {
      close();
    } finally {
      if (lock != null) {
        lock.close();
        lock = null;
      }
    }
  }

  /** The run folder a checkpoint file belongs to: the folder above its checkpoints/ folder. */
  public static Path of(Path checkpoint) {
    Path parent = checkpoint.getParent();
    Path dir = parent != null ? parent : checkpoint.toAbsolutePath().getParent();
    if (dir.getFileName() != null && dir.getFileName().toString().equals(CHECKPOINTS)) {
      Path up = dir.getParent();
      return up != null ? up : dir.toAbsolutePath().getParent();
    }
    return dir;
  }

  public Path dir() {
    return dir;
  }

  /** The folder's name: what a report calls the run. */
  public String name() {
    Path n = dir.toAbsolutePath().normalize().getFileName();
    return n == null ? dir.toString() : n.toString();
  }

  public Path config() {
    return dir.resolve(CONFIG);
  }

  public Path metrics() {
    return dir.resolve(METRICS);
  }

  public Path last() {
    return dir.resolve(CHECKPOINTS).resolve("last.safetensors");
  }

  public Path best() {
    return dir.resolve(CHECKPOINTS).resolve("best.safetensors");
  }

  public Path summaryFile() {
    return dir.resolve(SUMMARY);
  }

  /** config.yaml as it is now, checked to be a regular UTF-8 file of config size. */
  public String readConfig() throws RunException {
    return readText(config());
  }

  /** Writes the resolved config, atomically. */
  public void writeConfig(String yaml) throws IOException {
    AtomicFile.write(config(), yaml.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes summary.json, atomically. */
  public void writeSummary(Summary s) throws IOException {
    AtomicFile.write(
        summaryFile(), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(s.toJson()));
  }

  // ---- metrics.jsonl: writing

  /** Appends a step line to metrics.jsonl and flushes it. */
  public void append(StepLine step) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("kind", "step");
    o.put("epoch", step.epoch());
    o.put("step", step.step());
    step.running().forEach(o::put);
    o.put("lr", step.learningRate());
    log(o);
  }

  /** Appends an epoch line to metrics.jsonl and flushes it. */
  public void append(EpochMetrics epoch) throws IOException {
    log(epochLine(epoch));
  }

  /** An epoch line as {@code mlp train --json} prints it: the metrics line without its kind. */
  public static String epochJson(EpochMetrics m) {
    ObjectNode o = epochLine(m);
    o.remove("kind");
    return o.toString();
  }

  /** Appends one line to metrics.jsonl and flushes it. */
  void log(ObjectNode line) throws IOException {
    if (metrics == null) {
      cutMetrics();
      metrics =
          Files.newBufferedWriter(
              metrics(),
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
    }
    metrics.write(JSON.writeValueAsString(line));
    metrics.write('\n');
    metrics.flush();
  }

  /**
   * The metrics line of an epoch: {@code loss} (training), then {@code train_<m>}, {@code
   * test_<m>}, {@code validation_<m>} for each split's other measures, in their order.
   */
  static ObjectNode epochLine(EpochMetrics m) {
    ObjectNode o = JSON.createObjectNode();
    o.put("kind", "epoch");
    o.put("epoch", m.epoch());
    o.put("steps", m.steps());
    m.train().forEach((k, v) -> o.put(k.equals(EpochMetrics.LOSS) ? k : "train_" + k, v));
    m.test().forEach((k, v) -> o.put("test_" + k, v));
    m.validation().forEach((k, v) -> o.put("validation_" + k, v));
    o.put("lr", m.learningRate());
    o.put("seconds", m.seconds());
    o.put("eval_seconds", m.evalSeconds());
    return o;
  }

  // ---- metrics.jsonl: reading

  /**
   * The figures of an epoch line, or a message saying what is wrong with it. Numbers outside the
   * known keys are measures of their split by prefix; anything else is ignored (a newer mlp may add
   * fields).
   */
  private static EpochMetrics epochOf(JsonNode o, String at) throws RunException {
    JsonNode n = o.get("epoch");
    if (n == null || !n.canConvertToExactIntegral() || n.intValue() < 1) {
      throw new RunException(at + "expected \"epoch\" to be an epoch number (1, 2, ...)");
    }
    Map<String, Map<String, Double>> splits = new LinkedHashMap<>();
    for (String s : List.of("train", "test", "validation")) {
      splits.put(s, new LinkedHashMap<>());
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      String key = f.getKey();
      String split = null;
      String measure = null;
      if (key.equals(EpochMetrics.LOSS)) {
        split = "train";
        measure = key;
      } else {
        for (Map.Entry<String, String> p : SPLIT_PREFIX.entrySet()) {
          if (key.startsWith(p.getValue()) && key.length() > p.getValue().length()) {
            split = p.getKey();
            measure = key.substring(p.getValue().length());
          }
        }
      }
      if (split == null) {
        continue;
      }
      JsonNode v = f.getValue();
      if (!v.isNumber()) {
        throw new RunException(
            at + "expected \"" + key + "\" to be a number or left out, got " + excerpt(v));
      }
      splits.get(split).put(measure, v.doubleValue());
    }
    return new EpochMetrics(
        n.intValue(),
        o.path("steps").asLong(0),
        splits.get("train"),
        splits.get("test"),
        splits.get("validation"),
        o.path("lr").asDouble(Double.NaN),
        o.path("seconds").asDouble(Double.NaN),
        o.path("eval_seconds").asDouble(Double.NaN));
  }

  /**
   * The epochs of metrics.jsonl up to {@code step} (where a resumed run continues), checking every
   * line. Nothing is written yet: the lines of steps after {@code step}, which the resumed run will
   * redo, are dropped by {@link #cutMetrics()} just before it writes anything, so a resume that
   * fails on the way leaves the log as it was. Lines of kinds other than step and epoch (another
   * tool's notes, a newer mlp's lines) are kept wherever they are.
   */
  public List<EpochMetrics> keepMetricsUpTo(long step) throws IOException {
    List<EpochMetrics> kept = filterMetrics(step, null);
    cutAt = step;
    return kept;
  }

  /**
   * Cuts metrics.jsonl to what {@link #keepMetricsUpTo} kept, atomically; a resumed run calls it
   * before it writes anything (the folder's lock keeps the file as it was read). Without a {@link
   * #keepMetricsUpTo} before, does nothing.
   */
  public void cutMetrics() throws IOException {
    if (cutAt >= 0 && Files.exists(metrics())) {
      close();
      AtomicFile.write(
          metrics(),
          out -> {
            Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
            filterMetrics(cutAt, w);
            w.flush();
          });
    }
    cutAt = -1;
  }

  /** The epochs up to {@code step}, each line checked; the lines kept go to {@code text}. */
  private List<EpochMetrics> filterMetrics(long step, Writer text) throws IOException {
    List<EpochMetrics> kept = new ArrayList<>();
    Path file = metrics();
    if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return kept;
    }
    InputFiles.requireRegularFile(file, "metrics log (" + METRICS + ")");
    try (Lines lines = new Lines(file)) {
      for (String line = lines.next(); line != null; line = lines.next()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode o;
        try {
          o = JSON.readTree(line);
        } catch (IOException e) {
          if (lines.cutShort()) {
            break; // the last line, cut short by kill -9
          }
          throw new RunException(lines.at() + "expected one JSON object per line");
        }
        String kind = o.path("kind").asText();
        boolean epoch = kind.equals("epoch");
        if (epoch || kind.equals("step")) {
          long at = epoch ? o.path("steps").asLong(-1) : o.path("step").asLong(-1);
          if (at < 0 || at > step) {
            continue;
          }
          if (epoch) {
            kept.add(epochOf(o, lines.at()));
          }
        }
        if (text != null) {
          text.write(line);
          text.write('\n');
        }
      }
    }
    return kept;
  }

  /**
   * Reads {@code dir} to report on it, failing with a one-line message if it is not a run folder.
   *
   * <p>Only {@code metrics.jsonl} is required. {@code summary.json} is absent while a run trains
   * and after an interruption; {@code config.yaml} should always be there, but a report without it
   * is still useful, so its absence is only noted.
   */
  public static RunFolder read(Path dir) throws RunException {
    if (!Files.exists(dir)) {
      throw new RunException(dir + ": no such run folder");
    }
    if (!Files.isDirectory(dir)) {
      throw new RunException(
          dir + ": expected a run folder (runs/<name>-<time>/ that mlp train writes), got a file");
    }
    Path metrics = dir.resolve(METRICS);
    if (!Files.exists(metrics)) {
      throw new RunException(
          metrics
              + ": no such file; "
              + dir
              + " is not a run folder (mlp train writes "
              + METRICS
              + " into every run folder)");
    }
    List<EpochMetrics> epochs;
    try {
      epochs = readEpochs(metrics);
    } catch (RunException e) {
      throw e;
    } catch (InputFileException e) {
      throw new RunException(e.getMessage(), e);
    } catch (IOException e) {
      throw new RunException(metrics + ": cannot read: " + InputFiles.reason(e), e);
    }
    Path summary = dir.resolve(SUMMARY);
    Path config = dir.resolve(CONFIG);
    return new RunFolder(
        dir,
        false,
        epochs,
        Files.exists(summary) ? Summary.read(summary) : null,
        Files.exists(config) ? readText(config) : null);
  }

  /** The epoch lines {@link #read} found, in file order. */
  public List<EpochMetrics> epochs() {
    return epochs;
  }

  /** summary.json as {@link #read} found it, or null when the run has none. */
  public Summary summary() {
    return summary;
  }

  /** config.yaml verbatim as {@link #read} found it, or null when the run has none. */
  public String configText() {
    return configText;
  }

  /**
   * The epoch lines of metrics.jsonl. Step lines are checked to be JSON objects with a kind but not
   * kept: their figures are running means that restart every epoch. Lines of other kinds are
   * skipped, so that a newer mlp can add some. A last line without its line break is being written
   * right now by a training that runs; it is skipped if it is not whole yet.
   */
  private static List<EpochMetrics> readEpochs(Path file) throws IOException {
    InputFiles.requireRegularFile(file, "metrics log (" + METRICS + ")");
    List<EpochMetrics> epochs = new ArrayList<>();
    try (Lines lines = new Lines(file)) {
      for (String raw = lines.next(); raw != null; raw = lines.next()) {
        String line = raw.strip();
        if (line.isEmpty()) {
          continue;
        }
        String at = lines.at();
        JsonNode o;
        try {
          o = JSON.readTree(line);
        } catch (JsonProcessingException e) {
          if (lines.cutShort()) {
            break; // the line training is appending right now
          }
          throw new RunException(at + "expected one JSON object per line, got " + excerpt(line), e);
        }
        if (!o.isObject()) {
          throw new RunException(at + "expected one JSON object per line, got " + excerpt(line));
        }
        JsonNode kind = o.get("kind");
        if (kind == null || !kind.isTextual()) {
          throw new RunException(at + "expected a \"kind\" (\"step\" or \"epoch\")");
        }
        if (kind.textValue().equals("epoch")) {
          epochs.add(epochOf(o, at));
        }
      }
    }
    return List.copyOf(epochs);
  }

  /**
   * metrics.jsonl line by line, without holding the file: each line at most {@link #MAX_LINE_BYTES}
   * and UTF-8, or a one-line error naming the file and line.
   */
  private static final class Lines implements AutoCloseable {
    private final Path file;
    private final java.io.InputStream in;
    private byte[] buf = new byte[256];
    private int number;
    private boolean cutShort;

    Lines(Path file) throws IOException {
      this.file = file;
      this.in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16);
    }

    /** The next line without its line break, or null at the end. */
    String next() throws IOException {
      int n = 0;
      int b;
      while ((b = in.read()) >= 0 && b != '\n') {
        if (n == MAX_LINE_BYTES) {
          throw new RunException(
              file
                  + ":"
                  + (number + 1)
                  + ": a line longer than "
                  + InputFiles.bytes(MAX_LINE_BYTES)
                  + "; not a metrics log that mlp wrote");
        }
        if (n == buf.length) {
          buf = java.util.Arrays.copyOf(buf, Math.min(2 * n, MAX_LINE_BYTES));
        }
        buf[n++] = (byte) b;
      }
      if (b < 0 && n == 0) {
        return null;
      }
      number++;
      cutShort = b < 0;
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .decode(java.nio.ByteBuffer.wrap(buf, 0, n))
            .toString();
      } catch (java.nio.charset.CharacterCodingException e) {
        if (cutShort) {
          return ""; // a last line cut inside a character: being written, or cut by kill -9
        }
        throw new RunException(at() + "not UTF-8 text; not a metrics log that mlp wrote");
      }
    }

    /** Whether the line {@link #next} gave last had no line break: the file's last, unfinished. */
    boolean cutShort() {
      return cutShort;
    }

    /** "file:line: " of the line {@link #next} gave last. */
    String at() {
      return file + ":" + number + ": ";
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  private static String readText(Path file) throws RunException {
    try {
      return InputFiles.readText(file, ConfigLoader.MAX_CONFIG_BYTES, "config file");
    } catch (IOException e) {
      throw new RunException(e.getMessage(), e);
    }
  }

  private static String excerpt(Object o) {
    String s = o.toString();
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  @Override
  public void close() throws IOException {
    if (metrics != null) {
      metrics.close();
      metrics = null;
    }
  }
}
