package dev.mlp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlp.core.config.Field;
import dev.mlp.core.registry.Kind;
import dev.mlp.core.registry.Registration;
import dev.mlp.core.registry.Registry;
import java.io.PrintWriter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mlp layers} (or {@code mlp list}): every registered layer, optimizer, initializer and data
 * set, with its fields, their defaults and a one-line description, and the module that registered
 * it.
 */
@Command(
    name = "layers",
    aliases = {"list"},
    mixinStandardHelpOptions = true,
    description =
        "List every registered layer, optimizer, initializer and dataset type with its fields,"
            + " defaults and description (plugins included).")
final class LayersCommand implements Callable<Integer> {
  private static final PropertyNamingStrategies.NamingBase SNAKE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print the listing as one JSON object.")
  boolean json;

  @picocli.CommandLine.Mixin PluginOptions plugins;

  @Option(names = "--verbose", description = "Print stack traces on errors.")
  boolean verbose;

  /** One documented field of a spec. */
  record FieldDoc(String name, String type, String fallback, String description) {}

  static List<FieldDoc> fields(Class<?> specType) {
    List<FieldDoc> docs = new ArrayList<>();
    if (!specType.isRecord()) {
      return docs;
    }
    for (RecordComponent c : specType.getRecordComponents()) {
      Field f = c.getAnnotation(Field.class);
      docs.add(
          new FieldDoc(
              SNAKE.translate(c.getName()),
              typeName(c.getGenericType()),
              f == null ? "" : f.fallback(),
              f == null ? "" : f.value()));
    }
    return docs;
  }

  static String typeName(Type t) {
    if (t instanceof ParameterizedType p && p.getRawType() == List.class) {
      return "list of " + typeName(p.getActualTypeArguments()[0]) + "s";
    }
    if (!(t instanceof Class<?> c)) {
      return t.getTypeName();
    }
    if (c == Integer.class || c == Long.class || c == int.class || c == long.class) {
      return "integer";
    }
    if (c == Double.class || c == Float.class || c == double.class) {
      return "number";
    }
    if (c == Boolean.class || c == boolean.class) {
      return "boolean";
    }
    if (c == String.class) {
      return "string";
    }
    Kind kind = Kind.ofSpecBase(c);
    return kind != null ? kind.label() : c.getSimpleName().toLowerCase(Locale.ROOT);
  }

  @Override
  public Integer call() throws java.io.IOException {
    Registry registry = plugins.registry();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = mapper.createObjectNode();
      for (Kind kind : Kind.values()) {
        ArrayNode list = root.putArray(kind.label() + "s");
        for (Registration r : registry.all(kind)) {
          ObjectNode o = list.addObject();
          o.put("type", r.name());
          o.put("description", r.description());
          o.put("module", r.source());
          ArrayNode fs = o.putArray("fields");
          for (FieldDoc f : fields(r.specType())) {
            fs.addObject()
                .put("name", f.name())
                .put("type", f.type())
                .put("default", f.fallback())
                .put("description", f.description());
          }
        }
      }
      out.println(root);
    } else {
      for (Kind kind : Kind.values()) {
        out.println(kind.label() + "s:");
        for (Registration r : registry.all(kind)) {
          out.printf("  %-24s %s%n", r.name(), r.description());
          out.printf("  %-24s from %s%n", "", r.source());
          for (FieldDoc f : fields(r.specType())) {
            out.printf(
                "      %-16s %-18s %-36s %s%n",
                f.name(), f.type(), "default: " + f.fallback(), f.description());
          }
        }
        out.println();
      }
    }
    out.flush();
    return ExitCode.OK;
  }
}
