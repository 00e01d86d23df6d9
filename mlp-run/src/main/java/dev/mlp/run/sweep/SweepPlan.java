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
 * A grid sweep: a base config, its axes, and every trial of their product, first axis slowest. Kept
 * in the sweep folder as {@code sweep.json} beside {@code base.yaml} (the config as it was when the
 * sweep began), so a sweep is resumed and reported from its folder alone. Each trial is an ordinary
 * run folder, {@code trials/NNNN}, trained from the base config and its overrides.
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
    boolean maximize) {

  public static final String FORMAT = "mlp-sweep/1";

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
    if (axes.isEmpty()) {
      throw new ConfigException("a sweep needs at least one axis: --set path=value,value,...");
    }
    long count = 1;
    for (Axis a : axes) {
      count *= a.values().size();
      if (count > MAX_TRIALS) {
        throw new ConfigException(
            "the grid has more than " + MAX_TRIALS + " trials; sweep fewer values at once");
      }
    }
    String yaml =
        dev.mlp.data.files.InputFiles.readText(
            baseFile, ConfigLoader.MAX_CONFIG_BYTES, "config file");
    ConfigLoader loader = new ConfigLoader(registry);
    List<Trial> trials = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Map<String, String> o = new LinkedHashMap<>();
      int rest = i;
      for (int a = axes.size() - 1; a >= 0; a--) {
        List<String> values = axes.get(a).values();
        o.put(axes.get(a).path(), values.get(rest % values.size()));
        rest /= values.size();
      }
      Map<String, String> ordered = new LinkedHashMap<>();
      for (Axis a : axes) {
        ordered.put(a.path(), o.get(a.path()));
      }
      Trial t = new Trial(i, ordered);
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
    return new SweepPlan(yaml, baseFile.toString(), List.copyOf(axes), List.copyOf(trials), m, max);
  }

  /** Writes {@code sweep.json} and {@code base.yaml} into {@code dir}. */
  public void write(Path dir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode o = json.createObjectNode();
    o.put("format", FORMAT);
    o.put("config_file", baseFile);
    o.put("metric", metric);
    o.put("direction", maximize ? "max" : "min");
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
    return new SweepPlan(
        yaml,
        o.path("config_file").asText(),
        axes,
        trials,
        o.path("metric").asText(),
        o.path("direction").asText().equals("max"));
  }
}
