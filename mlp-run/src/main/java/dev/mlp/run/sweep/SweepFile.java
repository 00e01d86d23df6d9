package dev.mlp.run.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mlp.core.registry.Registry;
import dev.mlp.data.files.InputFiles;
import dev.mlp.run.config.ConfigException;
import dev.mlp.run.config.ConfigLoader;
import dev.mlp.run.config.LoadedConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Reads a sweep file ({@link SweepFileSpec}) into a {@link SweepPlan}. An axis is a config path and
 * either a list of values (YAML: {@code [0.01, 0.1]}, {@code [[64, 32], [128, 64]]}), a single
 * value, or one of:
 *
 * <ul>
 *   <li>{@code {range: [low, high], step: s}}: low, low + s, ... up to high (step 1 by default for
 *       whole numbers) — a list, for a grid or a random search;
 *   <li>{@code {choice: [a, b, ...]}}: the same as a list;
 *   <li>{@code {uniform: [low, high]}}, {@code {log_uniform: [low, high]}} (0 &lt; low), {@code
 *       {int_uniform: [low, high]}} (whole numbers, both ends included): for a random search only.
 * </ul>
 *
 * A random search draws {@code budget} trials, each axis in turn, from a generator seeded by {@code
 * seed}: the same file gives the same trials on every machine. Real numbers are drawn to 4
 * significant digits, so a trial's label reads {@code optimizer.lr=0.01234}.
 */
public final class SweepFile {
  private SweepFile() {}

  private static final Set<String> DISTRIBUTIONS =
      Set.of("range", "choice", "uniform", "log_uniform", "int_uniform");

  /**
   * The plan of the sweep file {@code file}, with {@code extra} grid axes from the command line
   * appended; every trial's config is checked before anything is written.
   */
  public static SweepPlan read(Registry registry, Path file, List<Axis> extra)
      throws IOException, ConfigException {
    String text = InputFiles.readText(file, ConfigLoader.MAX_CONFIG_BYTES, "sweep file");
    ConfigLoader loader = new ConfigLoader(registry);
    ConfigLoader.Located<SweepFileSpec> read =
        loader.read(text, file, SweepFileSpec.class, "sweep file");
    SweepFileSpec spec = read.value();
    LoadedConfig where = read.where();
    if (spec.config() == null) {
      throw where.error("", "config: is required: the config every trial starts from");
    }
    if (spec.axes() == null || spec.axes().isEmpty() && extra.isEmpty()) {
      throw where.error(
          "axes", "at least one axis is required, e.g. axes: {optimizer.lr: [0.01, 0.1]}");
    }
    String search = spec.search() == null ? "grid" : spec.search();
    if (!search.equals("grid") && !search.equals("random")) {
      throw where.error("search", "must be grid or random, got " + search);
    }
    if (spec.budget() != null && spec.budget() < 1) {
      throw where.error("budget", "must be at least 1, got " + spec.budget());
    }
    if (spec.budget() != null && spec.budget() > SweepPlan.MAX_TRIALS) {
      throw where.error(
          "budget", "must be at most " + SweepPlan.MAX_TRIALS + ", got " + spec.budget());
    }
    if (search.equals("random") && spec.budget() == null) {
      throw where.error("budget", "search: random needs a budget: the number of trials to draw");
    }
    if (spec.threads() != null && spec.threads() < 1) {
      throw where.error("threads", "must be at least 1, got " + spec.threads());
    }
    Boolean maximize = null;
    if (spec.direction() != null) {
      maximize =
          switch (spec.direction()) {
            case "max" -> true;
            case "min" -> false;
            default ->
                throw where.error("direction", "must be max or min, got " + spec.direction());
          };
    }
    Pruner pruner = null;
    if (spec.pruner() != null) {
      try {
        pruner = spec.pruner().pruner();
      } catch (IllegalArgumentException e) {
        throw where.error("pruner", e.getMessage().replaceFirst("^pruner\\.", ""));
      }
    }
    // relative to the sweep file, and as short as the sweep file's own path (for messages)
    Path base =
        (file.getParent() == null ? Path.of("") : file.getParent())
            .resolve(spec.config())
            .normalize();
    String yaml;
    try {
      yaml = InputFiles.readText(base, ConfigLoader.MAX_CONFIG_BYTES, "config file");
    } catch (IOException e) {
      throw where.error("config", e.getMessage());
    }

    List<String> paths = new ArrayList<>();
    List<List<String>> lists = new ArrayList<>(); // null for a continuous distribution
    Map<String, String> distributions = new LinkedHashMap<>();
    List<JsonNode> nodes = new ArrayList<>();
    for (var e : spec.axes().entrySet()) {
      String at = "axes." + e.getKey();
      if (e.getKey().isBlank()) {
        throw where.error("axes", "an axis needs a config path, e.g. optimizer.lr");
      }
      paths.add(e.getKey());
      nodes.add(e.getValue());
      List<String> values = values(e.getValue(), at, where);
      if (values == null) {
        if (search.equals("grid")) {
          throw where.error(
              at,
              e.getValue().fieldNames().next()
                  + " draws values for search: random; a grid needs a list or a range");
        }
        distributions.put(e.getKey(), flow(e.getValue()));
      }
      lists.add(values);
    }
    for (Axis a : extra) {
      if (paths.contains(a.path())) {
        throw new ConfigException(
            "--set " + a.path() + ": the sweep file " + file + " has this axis already");
      }
      paths.add(a.path());
      lists.add(a.values());
      nodes.add(null);
    }

    List<Axis> axes = new ArrayList<>();
    List<Map<String, String>> combos;
    if (search.equals("grid")) {
      for (int i = 0; i < paths.size(); i++) {
        axes.add(new Axis(paths.get(i), lists.get(i)));
      }
      int limit = spec.budget() != null ? spec.budget() : SweepPlan.MAX_TRIALS;
      try {
        combos = SweepPlan.product(axes, SweepPlan.MAX_TRIALS);
      } catch (ConfigException e) {
        throw new ConfigException(file + ": " + e.getMessage());
      }
      if (combos.size() > limit) {
        throw where.error(
            "budget",
            "the grid has "
                + combos.size()
                + " trials, more than the budget "
                + limit
                + "; raise it, or draw "
                + limit
                + " with search: random");
      }
    } else {
      SplittableRandom random = new SplittableRandom(spec.seed() != null ? spec.seed() : 0L);
      combos = new ArrayList<>();
      List<Set<String>> seen = new ArrayList<>();
      for (int i = 0; i < paths.size(); i++) {
        seen.add(new LinkedHashSet<>());
      }
      for (int n = 0; n < spec.budget(); n++) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < paths.size(); i++) {
          String v =
              lists.get(i) != null
                  ? lists.get(i).get(random.nextInt(lists.get(i).size()))
                  : draw(nodes.get(i), random);
          o.put(paths.get(i), v);
          seen.get(i).add(v);
        }
        combos.add(o);
      }
      for (int i = 0; i < paths.size(); i++) {
        axes.add(new Axis(paths.get(i), List.copyOf(seen.get(i))));
      }
    }
    SweepPlan.Settings settings =
        new SweepPlan.Settings(
            search,
            search.equals("random") ? (spec.seed() != null ? spec.seed() : 0L) : null,
            spec.threads(),
            rawLauncher(text),
            pruner,
            distributions);
    return SweepPlan.of(registry, base, yaml, axes, combos, spec.metric(), maximize, settings);
  }

  /** The launcher section as written, kept in the sweep folder for {@code --resume}. */
  private static JsonNode rawLauncher(String text) throws IOException {
    JsonNode tree = new YAMLMapper().readTree(text);
    JsonNode l = tree == null ? null : tree.get("launcher");
    return l == null || l.isNull() ? null : l;
  }

  /** An axis's values as {@code --set} text, or null for a distribution to draw from. */
  static List<String> values(JsonNode node, String at, LoadedConfig where) throws ConfigException {
    if (node == null || node.isNull()) {
      throw where.error(at, "has no values");
    }
    if (node.isArray()) {
      if (node.isEmpty()) {
        throw where.error(at, "has no values: an empty list");
      }
      List<String> v = new ArrayList<>();
      node.forEach(x -> v.add(text(x)));
      return v;
    }
    if (!node.isObject()) {
      return List.of(text(node));
    }
    if (node.size() != 1 && !(node.size() == 2 && node.has("range") && node.has("step"))) {
      throw where.error(
          at,
          "expected a list, or one of {range: [low, high], step: s}, {choice: [...]},"
              + " {uniform: [low, high]}, {log_uniform: [low, high]}, {int_uniform: [low, high]};"
              + " got "
              + flow(node));
    }
    String kind = node.has("range") ? "range" : node.fieldNames().next();
    if (!DISTRIBUTIONS.contains(kind)) {
      throw where.error(
          at,
          "unknown distribution '"
              + kind
              + "'; known: choice, int_uniform, log_uniform, range, uniform");
    }
    JsonNode args = node.get(kind);
    if (kind.equals("choice")) {
      return values(args, at + ".choice", where);
    }
    if (!args.isArray() || args.size() != 2 || !args.get(0).isNumber() || !args.get(1).isNumber()) {
      throw where.error(at + "." + kind, "expected [low, high], two numbers; got " + flow(args));
    }
    BigDecimal low = args.get(0).decimalValue();
    BigDecimal high = args.get(1).decimalValue();
    if (low.compareTo(high) >= 0) {
      throw where.error(at + "." + kind, "low must be below high, got " + flow(args));
    }
    boolean whole = args.get(0).isIntegralNumber() && args.get(1).isIntegralNumber();
    switch (kind) {
      case "range" -> {
        JsonNode s = node.get("step");
        if (s == null && !whole) {
          throw where.error(at, "a range of real numbers needs a step, e.g. step: 0.1");
        }
        if (s != null && (!s.isNumber() || s.decimalValue().signum() <= 0)) {
          throw where.error(at + ".step", "must be a number above 0, got " + flow(s));
        }
        BigDecimal step = s == null ? BigDecimal.ONE : s.decimalValue();
        boolean ints = whole && (s == null || s.isIntegralNumber());
        List<String> v = new ArrayList<>();
        for (BigDecimal x = low; x.compareTo(high) <= 0; x = x.add(step)) {
          if (v.size() >= SweepPlan.MAX_TRIALS) {
            throw where.error(at, "has more than " + SweepPlan.MAX_TRIALS + " values");
          }
          v.add(ints ? x.toBigInteger().toString() : x.stripTrailingZeros().toPlainString());
        }
        return v;
      }
      case "log_uniform" -> {
        if (low.signum() <= 0) {
          throw where.error(at + ".log_uniform", "low must be above 0, got " + flow(args));
        }
        return null;
      }
      case "int_uniform" -> {
        if (!whole) {
          throw where.error(at + ".int_uniform", "expected whole numbers, got " + flow(args));
        }
        if (high.subtract(low).compareTo(BigDecimal.valueOf(Long.MAX_VALUE - 1)) >= 0
            || !args.get(0).canConvertToLong()
            || !args.get(1).canConvertToLong()) {
          throw where.error(
              at + ".int_uniform", "the range is too wide to draw from, got " + flow(args));
        }
        return null;
      }
      default -> {
        return null;
      }
    }
  }

  /** One draw from a distribution {@link #values} accepted. */
  static String draw(JsonNode node, SplittableRandom random) {
    String kind = node.fieldNames().next();
    double low = node.get(kind).get(0).asDouble();
    double high = node.get(kind).get(1).asDouble();
    double u = random.nextDouble();
    return switch (kind) {
      case "int_uniform" ->
          String.valueOf(
              node.get(kind).get(0).asLong()
                  + random.nextLong(
                      node.get(kind).get(1).asLong() - node.get(kind).get(0).asLong() + 1));
      case "log_uniform" -> round(Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))));
      default -> round(low + u * (high - low));
    };
  }

  private static String round(double v) {
    BigDecimal r = new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros();
    double a = Math.abs(v);
    return a == 0 || (a >= 1e-6 && a < 1e15) ? r.toPlainString() : r.toString();
  }

  /** A YAML value as {@code --set} reads it back: scalars as written, lists and maps as JSON. */
  static String text(JsonNode v) {
    if (v.isTextual()) {
      String s = v.asText();
      return s.matches("[A-Za-z_][A-Za-z0-9_.\\-]*") ? s : flow(v);
    }
    if (v.isValueNode()) {
      return v.asText();
    }
    return flow(v);
  }

  private static String flow(JsonNode v) {
    try {
      return new ObjectMapper().writeValueAsString(v);
    } catch (IOException e) {
      return v.toString();
    }
  }
}
