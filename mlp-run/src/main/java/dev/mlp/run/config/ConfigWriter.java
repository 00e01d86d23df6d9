package dev.mlp.run.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mlp.core.config.ExperimentConfig;
import dev.mlp.core.registry.Kind;
import dev.mlp.core.registry.Registry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;

/**
 * Writes a loaded config back as YAML with every default filled in (what the records hold after
 * their constructors ran), spec-typed values as {@code {type: NAME, ...}}. {@link ConfigLoader}
 * reads the result back to an equal config; a run folder keeps it so a run can be repeated or
 * resumed without the original file.
 */
public final class ConfigWriter {
  private static final PropertyNamingStrategies.NamingBase SNAKE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
  private final Registry registry;
  private final YAMLMapper yaml =
      YAMLMapper.builder(new YAMLFactory())
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .build();

  public ConfigWriter(Registry registry) {
    this.registry = registry;
  }

  /** The config as YAML. */
  public String toYaml(ExperimentConfig config) {
    try {
      return yaml.writeValueAsString(node(config));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the config as YAML", e);
    }
  }

  private JsonNode node(Object value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (value == null) {
      return f.nullNode();
    }
    if (value instanceof String s) {
      return f.textNode(s);
    }
    if (value instanceof Boolean b) {
      return f.booleanNode(b);
    }
    if (value instanceof Integer i) {
      return f.numberNode(i);
    }
    if (value instanceof Long l) {
      return f.numberNode(l);
    }
    if (value instanceof Double d) {
      return f.numberNode(d);
    }
    if (value instanceof Float d) {
      return f.numberNode(d);
    }
    if (value instanceof List<?> list) {
      ArrayNode a = f.arrayNode();
      list.forEach(v -> a.add(node(v)));
      return a;
    }
    Class<?> type = value.getClass();
    if (!type.isRecord()) {
      throw new IllegalStateException("cannot write a " + type.getName() + " into a config");
    }
    ObjectNode o = f.objectNode();
    String name = typeName(type);
    if (name != null) {
      o.put("type", name);
    }
    for (RecordComponent c : type.getRecordComponents()) {
      Object v;
      try {
        v = c.getAccessor().invoke(value);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot read " + type.getName() + "." + c.getName(), e);
      }
      if (v != null) {
        o.set(SNAKE.translate(c.getName()), node(v));
      }
    }
    return o;
  }

  /** The registered name of a spec record, or null for a plain record. */
  private String typeName(Class<?> type) {
    Kind kind = Kind.ofSpecType(type);
    if (kind == null) {
      return null;
    }
    for (Map.Entry<String, Class<?>> e : registry.specTypes(kind).entrySet()) {
      if (e.getValue() == type) {
        return e.getKey();
      }
    }
    throw new IllegalStateException(type.getName() + " is not a registered " + kind.label());
  }
}
