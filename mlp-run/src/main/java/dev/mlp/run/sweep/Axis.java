package dev.mlp.run.sweep;

import java.util.ArrayList;
import java.util.List;

/**
 * One axis of a grid sweep: a config path and the values it takes, each as {@code --set} reads a
 * value (YAML: {@code 0.1} is a number, {@code [64, 32]} a list).
 *
 * @param path a config path, e.g. {@code optimizer.lr} or {@code model.layers[0].units}
 * @param values at least one
 */
public record Axis(String path, List<String> values) {
  public Axis {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException(
          "a sweep axis needs a config path, e.g. optimizer.lr=0.01,0.1");
    }
    if (values == null || values.isEmpty()) {
      throw new IllegalArgumentException("the axis " + path + " has no values");
    }
    for (String v : values) {
      if (v.isBlank()) {
        throw new IllegalArgumentException("the axis " + path + " has an empty value");
      }
    }
    values = List.copyOf(values);
  }

  /**
   * {@code path=v1,v2,...}: the values split at commas outside brackets, braces and quotes, so
   * {@code hidden=[64,32],[128,64]} is two values.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Axis parse(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException(
          "--set expects path=value,value,... (e.g. optimizer.lr=0.01,0.1), got '" + text + "'");
    }
    String path = text.substring(0, eq).strip();
    List<String> values = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int depth = 0;
    char quote = 0;
    for (char c : text.substring(eq + 1).toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '[' || c == '{') {
        depth++;
      } else if (c == ']' || c == '}') {
        depth--;
      } else if (c == ',' && depth == 0) {
        values.add(cur.toString().strip());
        cur.setLength(0);
        continue;
      }
      cur.append(c);
    }
    if (quote != 0 || depth != 0) {
      throw new IllegalArgumentException(
          "--set "
              + path
              + ": an unclosed "
              + (quote != 0 ? "quote" : "bracket")
              + " in '"
              + text
              + "'");
    }
    values.add(cur.toString().strip());
    if (values.size() == 1 && values.get(0).isEmpty()) {
      throw new IllegalArgumentException("the axis " + path + " has no values");
    }
    return new Axis(path, values);
  }
}
