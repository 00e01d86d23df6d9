package dev.mlp.run.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlp.core.config.Field;
import dev.mlp.core.config.SpecFields;
import dev.mlp.core.registry.Kind;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.Map;

/**
 * Reads a spec of one pluggable kind: {@code {type: name, ...fields}} or the bare {@code name}.
 * Only registered names are accepted, so YAML can never name an arbitrary class.
 */
final class TypedSpecDeserializer<T> extends StdDeserializer<T> {
  private static final long serialVersionUID = 1L;
  private static final PropertyNamingStrategies.NamingBase SNAKE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
  private final transient Kind kind;
  private final transient Map<String, Class<?>> types;

  TypedSpecDeserializer(Class<T> base, Kind kind, Map<String, Class<?>> types) {
    super(base);
    this.kind = kind;
    this.types = types;
  }

  /** A problem already phrased for the user; the path is added as it propagates. */
  static final class SpecProblem extends JsonMappingException {
    private static final long serialVersionUID = 1L;

    SpecProblem(JsonParser p, String message) {
      super(p, message);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    JsonNode node = ctxt.readTree(p);
    ObjectNode fields;
    String name;
    if (node.isTextual()) {
      name = node.asText();
      fields = JsonNodeFactory.instance.objectNode();
    } else if (node.isObject()) {
      fields = ((ObjectNode) node).deepCopy();
      JsonNode type = fields.remove("type");
      if (type == null || !type.isTextual()) {
        throw new SpecProblem(p, "a " + kind.label() + " needs 'type:' naming one of: " + known());
      }
      name = type.asText();
    } else {
      throw new SpecProblem(
          p,
          "expected a "
              + kind.label()
              + " as {type: NAME, ...} or a bare NAME, got "
              + ConfigLoader.describe(node));
    }
    Class<?> spec = types.get(name);
    if (spec == null) {
      throw new SpecProblem(
          p, "unknown " + kind.label() + " type '" + name + "'; known: " + known() + hint(name));
    }
    fillPrimitiveDefaults(p, spec, fields);
    try (JsonParser sub = fields.traverse(p.getCodec())) {
      sub.nextToken();
      return (T) ctxt.readValue(sub, spec);
    }
  }

  /**
   * A primitive field (e.g. {@code double eps}) left out or null gets the default its
   * {@code @Field} documents, as a boxed field gets the one its constructor fills; without one it
   * is required. (Jackson would read a missing primitive as a missing number: "expected a number,
   * got nothing".)
   */
  private static void fillPrimitiveDefaults(JsonParser p, Class<?> spec, ObjectNode fields)
      throws SpecProblem {
    if (!spec.isRecord()) {
      return;
    }
    for (RecordComponent c : spec.getRecordComponents()) {
      if (!c.getType().isPrimitive()) {
        continue;
      }
      String name = SNAKE.translate(c.getName());
      JsonNode given = fields.get(name);
      if (given != null && !given.isNull()) {
        continue;
      }
      Object fallback = SpecFields.defaultOf(c);
      if (fallback instanceof Double d) {
        fields.put(name, d);
      } else if (fallback instanceof Float f) {
        fields.put(name, f);
      } else if (fallback instanceof Integer i) {
        fields.put(name, i);
      } else if (fallback instanceof Long l) {
        fields.put(name, l);
      } else if (fallback instanceof Boolean b) {
        fields.put(name, b);
      } else {
        Field doc = c.getAnnotation(Field.class);
        throw new SpecProblem(
            p, name + " is required" + (doc == null ? "" : " (" + doc.value() + ")"));
      }
    }
  }

  /** "did you mean" when a known name is close, else where types from plugins come from. */
  private String hint(String name) {
    String mean = Suggestions.didYouMean(name, types.keySet());
    return !mean.isEmpty() ? mean : " (types from a plugin jar need --plugins DIR or MLP_PLUGINS)";
  }

  private String known() {
    return String.join(", ", types.keySet());
  }
}
