package dev.mlp.run.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A table model's inputs made from a row given by column name, as the training rows were made: the
 * preprocessing the {@code csv} data type fitted (its JSON, kept in the checkpoint) applied to new
 * values. Columns may come in any order; the label and the columns training left out may be there
 * and are ignored. A missing or unknown column, a value that is not a number where one is expected,
 * and a category training never saw are each one line naming the row and the column.
 */
public final class TableInput {
  private record Column(
      String name, List<String> categories, float center, float scale, float fill) {
    boolean numeric() {
      return categories == null;
    }
  }

  private final List<Column> columns;
  private final String label;
  private final String task;
  private final List<String> classes;
  private final boolean fillMissing;
  private final List<String> ignored;
  private final int width;

  private TableInput(
      List<Column> columns,
      String label,
      String task,
      List<String> classes,
      boolean fillMissing,
      List<String> ignored) {
    this.columns = columns;
    this.label = label;
    this.task = task;
    this.classes = classes;
    this.fillMissing = fillMissing;
    this.ignored = ignored;
    int w = 0;
    for (Column c : columns) {
      w += c.numeric() ? 1 : c.categories().size();
    }
    this.width = w;
  }

  /**
   * The preprocessing a checkpoint keeps ({@code metadata["preprocessing"]}), or null when there is
   * none (the model reads its inputs as they are, as MNIST's does).
   *
   * @throws IOException when the JSON is not the table preprocessing mlp writes
   */
  public static TableInput parse(String json, String where) throws IOException {
    if (json == null) {
      return null;
    }
    JsonNode o;
    try {
      o = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new IOException(where + ": its preprocessing is not JSON");
    }
    if (!"mlp-table/1".equals(o.path("format").asText())) {
      throw new IOException(
          where + ": its preprocessing is of an unknown format " + o.path("format"));
    }
    List<Column> columns = new ArrayList<>();
    for (JsonNode c : o.path("columns")) {
      String name = c.path("name").asText();
      if (c.path("kind").asText().equals("categorical")) {
        List<String> cats = new ArrayList<>();
        c.path("categories").forEach(v -> cats.add(v.asText()));
        columns.add(new Column(name, List.copyOf(cats), 0, 1, (float) c.path("fill").asDouble()));
      } else {
        float scale = (float) c.path("scale").asDouble(1);
        if (!(scale > 0) || Float.isInfinite(scale)) {
          throw new IOException(
              where + ": its preprocessing scales column '" + name + "' by " + scale);
        }
        columns.add(
            new Column(
                name,
                null,
                (float) c.path("center").asDouble(),
                scale,
                (float) c.path("fill").asDouble()));
      }
    }
    if (columns.isEmpty()) {
      throw new IOException(where + ": its preprocessing names no columns");
    }
    List<String> classes = new ArrayList<>();
    o.path("classes").forEach(v -> classes.add(v.asText()));
    List<String> ignored = new ArrayList<>();
    o.path("ignored").forEach(v -> ignored.add(v.asText()));
    return new TableInput(
        List.copyOf(columns),
        o.path("label").asText(),
        o.path("task").asText(),
        List.copyOf(classes),
        o.path("missing").asText().equals("mean"),
        List.copyOf(ignored));
  }

  /**
   * One of the model's inputs: a numeric column, read as (value − center) / scale with {@code fill}
   * for a missing value, or one category of a categorical column, 1 when the column holds it and 0
   * otherwise ({@code category} non-null; center 0, scale 1).
   */
  public record Slot(String column, String category, float center, float scale, float fill) {}

  /** The model's inputs, in order ({@link #width()} of them). */
  public List<Slot> slots() {
    List<Slot> slots = new ArrayList<>();
    for (Column c : columns) {
      if (c.numeric()) {
        slots.add(new Slot(c.name(), null, c.center(), c.scale(), c.fill()));
      } else {
        for (String category : c.categories()) {
          slots.add(new Slot(c.name(), category, 0f, 1f, 0f));
        }
      }
    }
    return List.copyOf(slots);
  }

  /** Whether a missing value is filled (else refused). */
  public boolean fillsMissing() {
    return fillMissing;
  }

  /** The feature columns, in the order training had them. */
  public List<String> columns() {
    return columns.stream().map(Column::name).toList();
  }

  /** The label column's name. */
  public String label() {
    return label;
  }

  /** Whether the model predicts a value (else a class). */
  public boolean regression() {
    return task.equals("regression");
  }

  /** The inputs a row makes. */
  public int width() {
    return width;
  }

  /**
   * The model's inputs for one row: values by column name, numbers or text (a number's text is read
   * as the number; an empty text or null is a missing value).
   *
   * @param where what to call the row in messages, e.g. {@code rows.csv:3}
   * @throws IllegalArgumentException one line naming {@code where} and the column
   */
  public float[] features(Map<String, ?> row, String where) {
    for (String key : row.keySet()) {
      if (!key.equals(label) && !ignored.contains(key) && columns().indexOf(key) < 0) {
        throw new IllegalArgumentException(
            where
                + ": unknown column '"
                + key
                + "'; the model reads "
                + String.join(", ", columns())
                + (ignored.isEmpty() ? "" : " (and ignores " + String.join(", ", ignored) + ")"));
      }
    }
    float[] x = new float[width];
    int o = 0;
    for (Column c : columns) {
      if (!row.containsKey(c.name())) {
        throw new IllegalArgumentException(
            where + ": no column '" + c.name() + "', which the model reads");
      }
      Object v = row.get(c.name());
      String text = v == null ? "" : v.toString().strip();
      // as training read its cells: these mean "no value"
      boolean missing =
          text.isEmpty()
              || text.equalsIgnoreCase("na")
              || text.equalsIgnoreCase("n/a")
              || text.equalsIgnoreCase("nan")
              || text.equalsIgnoreCase("null");
      if (missing && !fillMissing) {
        throw new IllegalArgumentException(
            where
                + ": column '"
                + c.name()
                + "' has no value"
                + (text.isEmpty() ? "" : " ('" + clip(text) + "')")
                + "; the model was trained without gaps");
      }
      if (c.numeric()) {
        float value;
        if (missing) {
          value = c.fill();
        } else if (v instanceof Number n) {
          value = n.floatValue();
        } else {
          try {
            // training's number forms only: not Java's 0x1p3, 1.5f or 2d
            if (text.matches("(?i)[+-]?(inf|infinity)")) {
              value = text.startsWith("-") ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
            } else if (DECIMAL.matcher(text).matches()) {
              value = Float.parseFloat(text);
            } else {
              throw new NumberFormatException(text);
            }
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                where + ": column '" + c.name() + "': expected a number, got '" + clip(text) + "'");
          }
        }
        if (!Float.isFinite(value)) {
          throw new IllegalArgumentException(
              where + ": column '" + c.name() + "': " + clip(text) + " is not a finite number");
        }
        x[o++] = (value - c.center()) / c.scale();
      } else {
        int at = missing ? (int) c.fill() : c.categories().indexOf(text);
        if (at < 0) {
          throw new IllegalArgumentException(
              where
                  + ": column '"
                  + c.name()
                  + "': the category '"
                  + clip(text)
                  + "' was not in the training rows ("
                  + String.join(", ", c.categories())
                  + ")");
        }
        x[o + at] = 1f;
        o += c.categories().size();
      }
    }
    return x;
  }

  /** A decimal number as the csv data type reads one: 12, -0.5, .5, 3.25e-4. */
  private static final java.util.regex.Pattern DECIMAL =
      java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private static String clip(String s) {
    String t = s.replaceAll("\\p{Cntrl}", "?");
    return t.length() > 40 ? t.substring(0, 40) + "…" : t;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT, "table input of %d columns → %d inputs", columns.size(), width);
  }

  /** Rows keyed by a header, for {@link #features}: header names to cell texts. */
  public static Map<String, String> row(List<String> header, List<String> cells) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      m.put(header.get(i), i < cells.size() ? cells.get(i) : null);
    }
    return m;
  }
}
