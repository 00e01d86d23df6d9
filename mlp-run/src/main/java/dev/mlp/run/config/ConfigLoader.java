package dev.mlp.run.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.mlp.core.config.ExperimentConfig;
import dev.mlp.core.registry.Kind;
import dev.mlp.core.registry.Registry;
import dev.mlp.data.files.InputFiles;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a YAML config into an {@link ExperimentConfig}, strictly: unknown fields, wrong types and
 * unknown type names are errors that name the file, line, column and config path.
 */
public final class ConfigLoader {
  /** The largest config file read, in bytes: a config is a few kilobytes of YAML. */
  public static final long MAX_CONFIG_BYTES = 1 << 20;

  private static final PropertyNamingStrategies.NamingBase SNAKE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
  private static final Pattern SEGMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)((?:\\[\\d+])*)");

  private final ObjectMapper yaml;
  private final ObjectMapper mapper;
  private final Registry registry;

  public ConfigLoader(Registry registry) {
    this.registry = registry;
    this.yaml =
        YAMLMapper.builder(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    JsonMapper m =
        JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    // strict types: epochs: "2" or epochs: 2.5 is an error, never a silent conversion
    refuse(
        m,
        LogicalType.Integer,
        CoercionInputShape.String,
        CoercionInputShape.EmptyString,
        CoercionInputShape.Boolean,
        CoercionInputShape.Float);
    refuse(
        m,
        LogicalType.Float,
        CoercionInputShape.String,
        CoercionInputShape.EmptyString,
        CoercionInputShape.Boolean);
    refuse(
        m,
        LogicalType.Boolean,
        CoercionInputShape.String,
        CoercionInputShape.EmptyString,
        CoercionInputShape.Integer,
        CoercionInputShape.Float);
    refuse(
        m,
        LogicalType.Textual,
        CoercionInputShape.Integer,
        CoercionInputShape.Float,
        CoercionInputShape.Boolean);
    SimpleModule specs = new SimpleModule("mlp-specs");
    for (Kind kind : Kind.values()) {
      addDeserializer(specs, kind, registry.specTypes(kind));
    }
    m.registerModule(specs);
    this.mapper = m;
  }

  private static void refuse(ObjectMapper m, LogicalType type, CoercionInputShape... shapes) {
    for (CoercionInputShape shape : shapes) {
      m.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void addDeserializer(SimpleModule module, Kind kind, Map<String, Class<?>> types) {
    Class base = kind.specBase();
    module.addDeserializer(base, new TypedSpecDeserializer<>(base, kind, types));
  }

  /** One {@code key.path=value} override; the value is read as YAML (so 0.1 is a number). */
  public record Override(String path, String value) {
    public static Override parse(String text) {
      int eq = text.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "--set expects key.path=value (e.g. optimizer.lr=0.1), got '" + text + "'");
      }
      return new Override(text.substring(0, eq).strip(), text.substring(eq + 1).strip());
    }
  }

  /** Reads {@code file}, applies the overrides in order, and builds the typed config. */
  public LoadedConfig load(Path file, List<Override> overrides) throws ConfigException {
    String text;
    try {
      text = InputFiles.readText(file, MAX_CONFIG_BYTES, "config file");
    } catch (IOException e) {
      throw new ConfigException(e.getMessage());
    }
    return load(text, file, overrides);
  }

  /**
   * Reads config {@code text} (e.g. the config a checkpoint carries); {@code file} names it in
   * errors.
   */
  public LoadedConfig load(String text, Path file, List<Override> overrides)
      throws ConfigException {
    Map<String, JsonLocation> locations = new HashMap<>();
    JsonNode tree =
        mapping(text, file, locations, "config", "a mapping (name:, data:, model:, ...)");
    for (Override o : overrides) {
      apply((ObjectNode) tree, o, file);
    }
    LoadedConfig located = new LoadedConfig(null, file, locations);
    String unknown = unknownFields(tree, ExperimentConfig.class, "", located);
    if (unknown != null) {
      throw new ConfigException(unknown);
    }
    try {
      return new LoadedConfig(mapper.treeToValue(tree, ExperimentConfig.class), file, locations);
    } catch (JsonProcessingException e) {
      throw explain(file, tree, locations, e);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file + ": " + e.getMessage());
    }
  }

  /**
   * A typed YAML document other than an experiment (a sweep file): {@code text} read as {@code
   * type} with the experiment's strictness and its one-line, located errors; {@code what} names the
   * document when it is empty or not a mapping. Also returns the locations of its values.
   */
  public <T> Located<T> read(String text, Path file, Class<T> type, String what)
      throws ConfigException {
    Map<String, JsonLocation> locations = new HashMap<>();
    JsonNode tree = mapping(text, file, locations, what, "a mapping");
    LoadedConfig located = new LoadedConfig(null, file, locations);
    String unknown = unknownFields(tree, type, "", located);
    if (unknown != null) {
      throw new ConfigException(unknown);
    }
    try {
      return new Located<>(mapper.treeToValue(tree, type), located);
    } catch (JsonProcessingException e) {
      throw explain(file, tree, locations, e);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file + ": " + e.getMessage());
    }
  }

  /**
   * {@code text} as a YAML mapping, the location of each value put in {@code locations}; refused
   * when it is not YAML, empty, or not {@code expected}.
   */
  private JsonNode mapping(
      String text, Path file, Map<String, JsonLocation> locations, String what, String expected)
      throws ConfigException {
    JsonNode tree;
    try {
      tree = yaml.readTree(text);
      indexLocations(text, locations, file);
    } catch (JsonProcessingException e) {
      throw new ConfigException(at(file, e.getLocation()) + "YAML error: " + yamlProblem(e));
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw new ConfigException(file + ": the " + what + " is empty");
    }
    if (!tree.isObject()) {
      throw new ConfigException(
          file + ": a " + what + " must be " + expected + ", got " + describe(tree));
    }
    return tree;
  }

  /** A value read by {@link #read} and where its parts were written ({@code where.error(...)}). */
  public record Located<T>(T value, LoadedConfig where) {}

  /**
   * A spec of a registered kind from a tree (e.g. {@code --launcher slurm} as {@code {type:
   * slurm}}).
   */
  public <T> T readSpec(JsonNode tree, Class<T> base, String what) throws ConfigException {
    try {
      return mapper.treeToValue(tree, base);
    } catch (JsonProcessingException e) {
      throw explain(Path.of(what), tree, Map.of(), e);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(what + ": " + e.getMessage());
    }
  }

  /**
   * Finds the first field the target records do not have, walking the tree with the types it will
   * be read into (spec types resolved by their {@code type:}). Done before reading, so a typo is
   * reported as a typo rather than as the required field it failed to set.
   */
  private String unknownFields(JsonNode node, Type type, String path, LoadedConfig where) {
    Class<?> raw = rawClass(type);
    if (raw == null || node == null || node.isNull()) {
      return null;
    }
    if (List.class.isAssignableFrom(raw)
        && node.isArray()
        && type instanceof ParameterizedType pt) {
      Type element = pt.getActualTypeArguments()[0];
      for (int i = 0; i < node.size(); i++) {
        String problem = unknownFields(node.get(i), element, path + "[" + i + "]", where);
        if (problem != null) {
          return problem;
        }
      }
      return null;
    }
    Kind kind = Kind.ofSpecBase(raw);
    if (kind != null) {
      JsonNode t = node.get("type");
      Class<?> spec = t == null ? null : registry.specTypes(kind).get(t.asText());
      return spec == null ? null : unknownFields(node, spec, path, where);
    }
    if (!raw.isRecord() || !node.isObject()) {
      return null;
    }
    Map<String, Type> fields = new LinkedHashMap<>();
    for (RecordComponent c : raw.getRecordComponents()) {
      fields.put(SNAKE.translate(c.getName()), c.getGenericType());
    }
    boolean typed = Kind.ofSpecType(raw) != null;
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> f = it.next();
      String child = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
      if (typed && f.getKey().equals("type")) {
        continue;
      }
      Type ft = fields.get(f.getKey());
      if (ft == null) {
        return where
            .error(
                child,
                "unknown field '"
                    + f.getKey()
                    + "'; known: "
                    + (fields.isEmpty()
                        ? "(none)"
                        : String.join(", ", new TreeSet<>(fields.keySet())))
                    + Suggestions.didYouMean(f.getKey(), fields.keySet()))
            .getMessage();
      }
      String problem = unknownFields(f.getValue(), ft, child, where);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static Class<?> rawClass(Type t) {
    if (t instanceof Class<?> c) {
      return c;
    }
    if (t instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
      return c;
    }
    return null;
  }

  private ConfigException explain(
      Path file, JsonNode tree, Map<String, JsonLocation> locations, JsonProcessingException e) {
    List<JsonMappingException.Reference> refs =
        e instanceof JsonMappingException jme ? jme.getPath() : List.of();
    String path = pathOf(refs);
    String message;
    if (e instanceof TypedSpecDeserializer.SpecProblem) {
      message = e.getOriginalMessage();
    } else if (e instanceof UnrecognizedPropertyException u) {
      String field = u.getPropertyName();
      Collection<String> known = new TreeSet<>();
      for (Object k : u.getKnownPropertyIds()) {
        known.add(String.valueOf(k));
      }
      message =
          "unknown field '"
              + field
              + "'; known: "
              + String.join(", ", known)
              + Suggestions.didYouMean(field, known);
    } else if (e instanceof ValueInstantiationException v && v.getCause() != null) {
      message = v.getCause().getMessage();
      if (message == null) { // a record's own bug rather than a sentence for the user
        message = "cannot be built (" + v.getCause().getClass().getSimpleName() + ")";
      }
      String first = message.split("[ ,:]", 2)[0];
      JsonNode here = nodeAt(tree, path);
      if (here != null && here.has(first)) {
        path = path.isEmpty() ? first : path + "." + first;
      }
    } else if (e instanceof MismatchedInputException m) {
      JsonNode got = nodeAt(tree, path);
      message =
          "expected "
              + expected(m.getTargetType())
              + ", got "
              + (got == null ? "nothing" : describe(got));
    } else {
      message = e.getOriginalMessage();
    }
    JsonLocation loc = locations.get(path);
    String where = loc == null ? file + ": " : at(file, loc);
    return new ConfigException(where + (path.isEmpty() ? "" : path + ": ") + message, e);
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "another kind of value";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Double.class || type == double.class || type == Float.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "a mapping";
  }

  /** "the string \"2\"", "the number 2.5", "a list", ... for messages. */
  static String describe(JsonNode n) {
    if (n.isTextual()) {
      return "the string \"" + n.asText() + "\"";
    }
    if (n.isNumber()) {
      return "the number " + n.asText();
    }
    if (n.isBoolean()) {
      return n.asText();
    }
    if (n.isArray()) {
      return "a list";
    }
    if (n.isObject()) {
      return "a mapping";
    }
    if (n.isNull()) {
      return "null";
    }
    return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }

  private static String pathOf(List<JsonMappingException.Reference> refs) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      } else if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      }
    }
    return sb.toString();
  }

  /** The node at a path such as {@code model.layers[2].units}, or null. */
  static JsonNode nodeAt(JsonNode root, String path) {
    if (path.isEmpty()) {
      return root;
    }
    JsonNode n = root;
    for (String part : path.split("\\.")) {
      Matcher mt = SEGMENT.matcher(part);
      if (!mt.matches() || n == null) {
        return null;
      }
      n = n.get(mt.group(1));
      for (String idx : indices(mt.group(2))) {
        n = n == null ? null : n.get(Integer.parseInt(idx));
      }
    }
    return n;
  }

  private static List<String> indices(String brackets) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("\\[(\\d+)]").matcher(brackets);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private void apply(ObjectNode root, Override o, Path file) throws ConfigException {
    JsonNode value;
    try {
      value = o.value().isEmpty() ? JsonNodeFactory.instance.nullNode() : yaml.readTree(o.value());
    } catch (JsonProcessingException e) {
      throw new ConfigException("--set " + o.path() + ": cannot read value '" + o.value() + "'");
    }
    String[] parts = o.path().split("\\.");
    JsonNode node = root;
    for (int i = 0; i < parts.length; i++) {
      Matcher m = SEGMENT.matcher(parts[i]);
      if (!m.matches()) {
        throw new ConfigException(
            "--set " + o.path() + ": '" + parts[i] + "' is not a field name or name[index]");
      }
      boolean last = i == parts.length - 1;
      List<String> idx = indices(m.group(2));
      if (!(node instanceof ObjectNode obj)) {
        throw new ConfigException(
            "--set " + o.path() + ": '" + parts[i] + "' is not inside a mapping");
      }
      if (idx.isEmpty()) {
        if (last) {
          obj.set(m.group(1), value);
          return;
        }
        JsonNode next = obj.get(m.group(1));
        if (next == null || next.isNull()) {
          next = obj.putObject(m.group(1));
        }
        node = next;
      } else {
        JsonNode list = obj.get(m.group(1));
        for (int k = 0; k < idx.size(); k++) {
          int index = Integer.parseInt(idx.get(k));
          if (!(list instanceof ArrayNode arr) || index >= arr.size()) {
            throw new ConfigException(
                "--set " + o.path() + ": " + file + " has no element " + parts[i]);
          }
          if (last && k == idx.size() - 1) {
            arr.set(index, value);
            return;
          }
          list = arr.get(index);
        }
        node = list;
      }
    }
  }

  /** Records the line and column of every mapping key and list element, by config path. */
  /**
   * Records where every config path is, and refuses YAML aliases: Jackson would read {@code *a} as
   * the string "a" (a confusing error later), and alias chains are the "billion laughs" attack.
   */
  private void indexLocations(String text, Map<String, JsonLocation> out, Path file)
      throws IOException, ConfigException {
    try (JsonParser p = yaml.getFactory().createParser(text)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (p instanceof YAMLParser y && y.isCurrentAlias()) {
          String path = pathOf(p, t);
          throw new ConfigException(
              at(file, p.currentTokenLocation())
                  + (path == null ? "" : path + ": ")
                  + "YAML aliases (*"
                  + p.getText()
                  + ") are not supported in configs; write the value out");
        }
        if (t == JsonToken.FIELD_NAME || (t.isStructStart() || t.isScalarValue())) {
          String path = pathOf(p, t);
          if (path != null) {
            out.putIfAbsent(path, p.currentTokenLocation());
          }
        }
      }
    }
  }

  private static String pathOf(JsonParser p, JsonToken t) {
    JsonStreamContext ctx = p.getParsingContext();
    if (t.isStructStart()) {
      ctx = ctx.getParent();
    }
    if (ctx == null || ctx.inRoot()) {
      return null;
    }
    if (ctx.inObject() && t != JsonToken.FIELD_NAME && !t.isStructStart() && !t.isScalarValue()) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        parts.add(0, "[" + c.getCurrentIndex() + "]");
      } else if (c.getCurrentName() != null) {
        parts.add(0, "." + c.getCurrentName());
      }
    }
    String s = String.join("", parts);
    return s.startsWith(".") ? s.substring(1) : s;
  }

  private static String at(Path file, JsonLocation loc) {
    if (loc == null || loc.getLineNr() < 1) {
      return file + ": ";
    }
    return file + ":" + loc.getLineNr() + ":" + loc.getColumnNr() + ": ";
  }

  private static String yamlProblem(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    if (m == null) {
      return e.getClass().getSimpleName();
    }
    // snakeyaml's messages span lines with a caret drawing; keep the meaningful lines, joined
    List<String> parts = new ArrayList<>();
    String[] lines = m.split("\\R");
    for (int i = 0; i < lines.length; i++) {
      String s = lines[i].strip();
      boolean snippet = i + 1 < lines.length && lines[i + 1].strip().startsWith("^");
      if (!s.isEmpty() && !snippet && !s.startsWith("in 'reader'") && !s.startsWith("^")) {
        parts.add(s);
      }
    }
    return parts.isEmpty() ? m.strip() : String.join("; ", parts);
  }
}
