package dev.mlp.run.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlp.core.registry.Registry;
import dev.mlp.run.config.ConfigException;
import dev.mlp.run.config.ConfigLoader;
import dev.mlp.run.folder.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep: a base config, its axes, and its trials (a grid: every combination, first axis slowest;
 * a random search: samples of the axes' distributions). Kept in the sweep folder as {@code
 * sweep.json} beside {@code base.yaml} (the config as it was when the sweep began), so a sweep is
 * resumed and reported from its folder alone. Each trial is an ordinary run folder, {@code
 * trials/NNNN}, trained from the base config and its overrides.
 *
 * @param metric what the table is sorted by ({@code test_accuracy}, {@code test_loss}, ...)
 * @param maximize whether larger is better
 */
public record SweepPlan(
    String baseYaml,
    String baseFile,
    List<Axis> axes,
    List<Trial> trials,
    String metric,
    boolean maximize,
    Settings settings) {

  public static final String FORMAT = "mlp-sweep/1";

  /** A grid of {@code --set} axes with no sweep file: everything else as the command line says. */
  public SweepPlan(
      String baseYaml,
      String baseFile,
      List<Axis> axes,
      List<Trial> trials,
      String metric,
      boolean maximize) {
    this(baseYaml, baseFile, axes, trials, metric, maximize, Settings.NONE);
  }

  /**
   * What a sweep file chose besides its axes, kept for {@code --resume} and the report.
   *
   * @param search {@code grid} or {@code random}
   * @param seed the random search's seed, or null
   * @param threads threads per trial, or null for the command line's
   * @param launcher the launcher's spec as written ({@code {type: slurm, ...}}), or null
   * @param pruner the pruner, or null for none
   * @param distributions a random axis's distribution as written, by path
   */
  public record Settings(
      String search,
      Long seed,
      Integer threads,
      JsonNode launcher,
      Pruner pruner,
      Map<String, String> distributions) {
    public static final Settings NONE = new Settings("grid", null, null, null, null, Map.of());

    public Settings {
      distributions = Map.copyOf(distributions);
    }
  }

  /** One trial: its index, folder name and overrides (config path → value), in axis order. */
  public record Trial(int index, Map<String, String> overrides) {
    public String name() {
      return String.format("%04d", index);
    }

    public List<ConfigLoader.Override> asOverrides() {
      List<ConfigLoader.Override> o = new ArrayList<>();
      overrides.forEach((k, v) -> o.add(new ConfigLoader.Override(k, v)));
      return o;
    }

    /** {@code optimizer.lr=0.01 model.layers[0].units=64}. */
    public String label() {
      List<String> parts = new ArrayList<>();
      overrides.forEach((k, v) -> parts.add(k + "=" + v));
      return String.join(" ", parts);
    }
  }

  /** This plan with other settings (the launcher and threads a sweep folder keeps, say). */
  public SweepPlan withSettings(Settings settings) {
    return new SweepPlan(baseYaml, baseFile, axes, trials, metric, maximize, settings);
  }

  /** The most trials one sweep may hold. */
  public static final int MAX_TRIALS = 10_000;

  /**
   * The grid of {@code axes} over the config {@code baseFile}, every trial's config checked before
   * anything is written: a path the config does not have, or a value it does not take, is refused
   * naming the axis and the value.
   */
  public static SweepPlan grid(
      Registry registry, Path baseFile, List<Axis> axes, String metric, Boolean maximize)
      throws IOException, ConfigException {
    String yaml =
        dev.mlp.data.files.InputFiles.readText(
            baseFile, ConfigLoader.MAX_CONFIG_BYTES, "config file");
    return of(
        registry, baseFile, yaml, axes, product(axes, MAX_TRIALS), metric, maximize, Settings.NONE);
  }

  /**
   * Every combination of the axes' values, first axis slowest.
   *
   * @throws ConfigException when there are none, or more than {@code limit}
   */
  public static List<Map<String, String>> product(List<Axis> axes, int limit)
      throws ConfigException {
    if (axes.isEmpty()) {
      throw new ConfigException("a sweep needs at least one axis: --set path=value,value,...");
    }
    long count = 1;
    for (Axis a : axes) {
      count *= a.values().size();
      if (count > limit) {
        throw new ConfigException(
            "the grid has more than " + limit + " trials; sweep fewer values at once");
      }
    }
    List<Map<String, String>> combos = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String[] chosen = new String[axes.size()];
      int rest = i;
      for (int a = axes.size() - 1; a >= 0; a--) {
        List<String> values = axes.get(a).values();
        chosen[a] = values.get(rest % values.size());
        rest /= values.size();
      }
      Map<String, String> o = new LinkedHashMap<>();
      for (int a = 0; a < axes.size(); a++) {
        o.put(axes.get(a).path(), chosen[a]);
      }
      combos.add(o);
    }
    return combos;
  }

  /**
   * The sweep of {@code combos} (one map of overrides per trial) over the config {@code baseFile}
   * (whose text is {@code yaml}), every trial's config checked before anything is written: a path
   * the config does not have, or a value it does not take, is refused naming the trial and value.
   */
  public static SweepPlan of(
      Registry registry,
      Path baseFile,
      String yaml,
      List<Axis> axes,
      List<Map<String, String>> combos,
      String metric,
      Boolean maximize,
      Settings settings)
      throws ConfigException {
    ConfigLoader loader = new ConfigLoader(registry);
    List<Trial> trials = new ArrayList<>();
    for (Map<String, String> o : combos) {
      Trial t = new Trial(trials.size(), o);
      try {
        loader.load(yaml, baseFile, t.asOverrides());
      } catch (ConfigException e) {
        throw new ConfigException(
            "sweep trial " + t.name() + " (" + t.label() + "): " + e.getMessage());
      }
      trials.add(t);
    }
    boolean regression =
        loader.load(yaml, baseFile, List.of()).config().data()
                instanceof dev.mlp.data.table.CsvSpec csv
            && "regression".equals(csv.task());
    String m = metric != null ? metric : regression ? "test_loss" : "test_accuracy";
    boolean max = maximize != null ? maximize : m.endsWith("accuracy") || m.equals("test_r2");
    return new SweepPlan(
        yaml, baseFile.toString(), List.copyOf(axes), List.copyOf(trials), m, max, settings);
  }

  /** Writes {@code sweep.json} and {@code base.yaml} into {@code dir}. */
  public void write(Path dir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode o = json.createObjectNode();
    o.put("format", FORMAT);
    o.put("config_file", baseFile);
    o.put("metric", metric);
    o.put("direction", maximize ? "max" : "min");
    o.put("search", settings.search());
    if (settings.seed() != null) {
      o.put("seed", settings.seed());
    }
    if (settings.threads() != null) {
      o.put("threads", settings.threads());
    }
    if (settings.launcher() != null) {
      o.set("launcher", settings.launcher());
    }
    if (settings.pruner() != null) {
      Pruner p = settings.pruner();
      o.putObject("pruner")
          .put("type", p.type())
          .put("warmup_epochs", p.warmupEpochs())
          .put("min_trials", p.minTrials())
          .put("reduction", p.reduction());
    }
    if (!settings.distributions().isEmpty()) {
      ObjectNode d = o.putObject("distributions");
      settings.distributions().forEach(d::put);
    }
    ArrayNode ax = o.putArray("axes");
    for (Axis a : axes) {
      ArrayNode v = ax.addObject().put("path", a.path()).putArray("values");
      a.values().forEach(v::add);
    }
    ArrayNode tr = o.putArray("trials");
    for (Trial t : trials) {
      ObjectNode to = tr.addObject().put("index", t.index()).put("name", t.name());
      ObjectNode ov = to.putObject("overrides");
      t.overrides().forEach(ov::put);
    }
    AtomicFile.write(dir.resolve("base.yaml"), baseYaml.getBytes(StandardCharsets.UTF_8));
    AtomicFile.write(
        dir.resolve("sweep.json"), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(o));
  }

  /** Reads a sweep folder's plan. */
  public static SweepPlan read(Path dir) throws IOException {
    Path file = dir.resolve("sweep.json");
    if (!Files.isRegularFile(file)) {
      throw new IOException(dir + ": not a sweep folder (no sweep.json)");
    }
    JsonNode o =
        new ObjectMapper()
            .readTree(dev.mlp.data.files.InputFiles.readText(file, 64L << 20, "sweep file"));
    if (!FORMAT.equals(o.path("format").asText())) {
      throw new IOException(file + ": not an mlp sweep (format " + o.path("format") + ")");
    }
    List<Axis> axes = new ArrayList<>();
    for (JsonNode a : o.path("axes")) {
      List<String> v = new ArrayList<>();
      a.path("values").forEach(x -> v.add(x.asText()));
      axes.add(new Axis(a.path("path").asText(), v));
    }
    List<Trial> trials = new ArrayList<>();
    for (JsonNode t : o.path("trials")) {
      Map<String, String> ov = new LinkedHashMap<>();
      t.path("overrides").fields().forEachRemaining(e -> ov.put(e.getKey(), e.getValue().asText()));
      trials.add(new Trial(t.path("index").asInt(), ov));
    }
    String yaml =
        dev.mlp.data.files.InputFiles.readText(
            dir.resolve("base.yaml"), ConfigLoader.MAX_CONFIG_BYTES, "config file");
    JsonNode p = o.get("pruner");
    Map<String, String> distributions = new LinkedHashMap<>();
    o.path("distributions")
        .fields()
        .forEachRemaining(e -> distributions.put(e.getKey(), e.getValue().asText()));
    Settings settings;
    try {
      settings =
          new Settings(
              o.path("search").asText("grid"),
              o.hasNonNull("seed") ? o.get("seed").asLong() : null,
              o.hasNonNull("threads") ? o.get("threads").asInt() : null,
              o.hasNonNull("launcher") ? o.get("launcher") : null,
              p == null || p.isNull()
                  ? null
                  : new Pruner(
                      p.path("type").asText(),
                      p.path("warmup_epochs").asInt(),
                      p.path("min_trials").asInt(),
                      p.path("reduction").asInt()),
              distributions);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage());
    }
    return new SweepPlan(
        yaml,
        o.path("config_file").asText(),
        axes,
        trials,
        o.path("metric").asText(),
        o.path("direction").asText().equals("max"),
        settings);
  }
}
