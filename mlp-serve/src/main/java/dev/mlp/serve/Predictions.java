package dev.mlp.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlp.run.Model;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/predict} in JSON: {@code {"inputs": [[...], ...]}} (the model's features, row by
 * row) or, for a table model, {@code {"rows": [{"column": value, ...}, ...]}}; optionally {@code
 * "top": k} (classes per row, default 3) and {@code "probabilities": true} (every class's). Checked
 * whole before the model runs; each refusal names the row and what was expected.
 */
final class Predictions {
  static final ObjectMapper JSON = mapper();

  private Predictions() {}

  private static ObjectMapper mapper() {
    ObjectMapper m = new ObjectMapper();
    m.getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(100).build());
    m.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return m;
  }

  /** A parsed request: rows of features and how to answer. */
  record Request(float[][] rows, int top, boolean all) {}

  static Request parse(byte[] body, Model model, int maxBatch) throws BadRequest {
    // streamed: a batch of numbers goes straight into float arrays, without a tree of nodes
    try (JsonParser p = JSON.getFactory().createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new BadRequest(
            400, "expected a JSON object {\"inputs\": [[...], ...]} or {\"rows\": [{...}, ...]}");
      }
      float[][] inputs = null;
      JsonNode rowsNode = null;
      int top = 3;
      boolean all = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        JsonToken v = p.nextToken();
        switch (f) {
          case "inputs" -> inputs = inputs(p, model.inputSize(), maxBatch);
          case "rows" -> rowsNode = p.readValueAsTree();
          case "top" -> {
            if (v != JsonToken.VALUE_NUMBER_INT
                || p.getLongValue() < 1
                || p.getLongValue() > 1_000_000) {
              throw new BadRequest(400, "top must be a whole number of at least 1");
            }
            top = p.getIntValue();
          }
          case "probabilities" -> {
            if (!v.isBoolean()) {
              throw new BadRequest(400, "probabilities must be true or false");
            }
            all = p.getBooleanValue();
          }
          default ->
              throw new BadRequest(
                  400,
                  "unknown field '" + clip(f) + "'; expected inputs or rows, top, probabilities");
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new BadRequest(400, "the body is not one JSON object");
      }
      if ((inputs != null) == (rowsNode != null)) {
        throw new BadRequest(
            400, "give either inputs (numbers) or rows (by column name), not both");
      }
      return new Request(inputs != null ? inputs : rows(rowsNode, model, maxBatch), top, all);
    } catch (JsonProcessingException e) {
      throw new BadRequest(400, "the body is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new BadRequest(400, "the body cannot be read as JSON: " + e.getMessage());
    }
  }

  /** {@code [[x, ...], ...]}: rows of exactly {@code d} finite numbers, at most {@code max}. */
  private static float[][] inputs(JsonParser p, int d, int max)
      throws java.io.IOException, BadRequest {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new BadRequest(400, "inputs must be a list of rows");
    }
    List<float[]> rows = new ArrayList<>();
    int r = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), r++) {
      if (r >= max) {
        p.skipChildren();
        continue; // counted, to say how many there were
      }
      if (t != JsonToken.START_ARRAY) {
        throw new BadRequest(
            400, "inputs[" + r + "] is not a list of numbers; the model reads " + d);
      }
      float[] x = new float[d];
      int j = 0;
      for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken(), j++) {
        if (n != JsonToken.VALUE_NUMBER_INT && n != JsonToken.VALUE_NUMBER_FLOAT) {
          String what =
              n.isStructStart()
                  ? (n == JsonToken.START_ARRAY ? "a list" : "an object")
                  : p.getText();
          throw new BadRequest(
              400, "inputs[" + r + "][" + j + "] is " + clip(what) + "; expected a finite number");
        }
        float f = p.getFloatValue();
        if (!Float.isFinite(f)) {
          throw new BadRequest(
              400,
              "inputs["
                  + r
                  + "]["
                  + j
                  + "] is "
                  + clip(p.getText())
                  + "; expected a finite number");
        }
        if (j < d) {
          x[j] = f;
        }
      }
      if (j != d) {
        throw new BadRequest(400, "inputs[" + r + "] has " + j + " numbers; the model reads " + d);
      }
      rows.add(x);
    }
    if (r == 0) {
      throw new BadRequest(400, "inputs is empty");
    }
    if (r > max) {
      throw new BadRequest(413, "inputs holds " + r + " rows; at most " + max + " a request");
    }
    return rows.toArray(float[][]::new);
  }

  /** {@code [{"column": value, ...}, ...]} through the table model's preprocessing. */
  private static float[][] rows(JsonNode list, Model model, int maxBatch) throws BadRequest {
    if (model.table() == null) {
      throw new BadRequest(
          400, "rows by column name are for table models; give this model's inputs as numbers");
    }
    if (!list.isArray()) {
      throw new BadRequest(400, "rows must be a list of rows");
    }
    if (list.isEmpty()) {
      throw new BadRequest(400, "rows is empty");
    }
    if (list.size() > maxBatch) {
      throw new BadRequest(
          413, "rows holds " + list.size() + " rows; at most " + maxBatch + " a request");
    }
    float[][] rows = new float[list.size()][];
    for (int r = 0; r < rows.length; r++) {
      JsonNode row = list.get(r);
      if (!row.isObject()) {
        throw new BadRequest(400, "rows[" + r + "] is not an object of column: value");
      }
      Map<String, Object> values = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        values.put(e.getKey(), v.isNull() ? null : v.isNumber() ? v.numberValue() : v.asText());
      }
      try {
        rows[r] = model.table().features(values, "rows[" + r + "]");
      } catch (IllegalArgumentException e) {
        throw new BadRequest(400, e.getMessage());
      }
    }
    return rows;
  }

  /** The answer for {@code rows}: per row its classes (top k) or values. */
  static ObjectNode answer(Served served, Model model, Request req) {
    float[][] out = model.outputs(req.rows());
    ObjectNode o = JSON.createObjectNode();
    ArrayNode preds = o.putArray("predictions");
    for (float[] y : out) {
      row(preds.addObject(), served, model, y, req.top(), req.all());
    }
    return o;
  }

  static void row(ObjectNode p, Served served, Model model, float[] y, int top, boolean all) {
    if (served.regression()) {
      if (y.length == 1) {
        p.put("value", y[0]);
      } else {
        ArrayNode v = p.putArray("values");
        for (float f : y) {
          v.add(f);
        }
      }
      return;
    }
    String what = served.output().equals("probabilities") ? "probability" : "score";
    List<Integer> order = new ArrayList<>();
    for (int c = 0; c < y.length; c++) {
      order.add(c);
    }
    order.sort((a, b) -> Float.compare(y[b], y[a]));
    int best = order.get(0);
    p.put("label", model.className(best));
    p.put("class", best);
    p.put(what, y[best]);
    ArrayNode t = p.putArray("top");
    for (int i = 0; i < Math.min(top, y.length); i++) {
      int c = order.get(i);
      t.addObject().put("label", model.className(c)).put("class", c).put(what, y[c]);
    }
    if (all) {
      ArrayNode a = p.putArray(served.output());
      for (float f : y) {
        a.add(f);
      }
    }
  }

  static String clip(String s) {
    String one = s.replaceAll("[\\p{Cntrl}]", "?");
    return one.length() > 60 ? one.substring(0, 57) + "..." : one;
  }
}
