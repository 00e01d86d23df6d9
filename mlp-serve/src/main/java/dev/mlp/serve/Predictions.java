package dev.mlp.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
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
    JsonNode o;
    try {
      o = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadRequest(400, "the body is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new BadRequest(400, "the body cannot be read as JSON: " + e.getMessage());
    }
    if (o == null || !o.isObject()) {
      throw new BadRequest(
          400, "expected a JSON object {\"inputs\": [[...], ...]} or {\"rows\": [{...}, ...]}");
    }
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!List.of("inputs", "rows", "top", "probabilities").contains(f)) {
        throw new BadRequest(
            400, "unknown field '" + clip(f) + "'; expected inputs or rows, top, probabilities");
      }
    }
    int top = 3;
    if (o.has("top")) {
      if (!o.get("top").canConvertToInt() || o.get("top").asInt() < 1) {
        throw new BadRequest(400, "top must be a whole number of at least 1");
      }
      top = o.get("top").asInt();
    }
    boolean all = false;
    if (o.has("probabilities")) {
      if (!o.get("probabilities").isBoolean()) {
        throw new BadRequest(400, "probabilities must be true or false");
      }
      all = o.get("probabilities").asBoolean();
    }
    if (o.has("inputs") == o.has("rows")) {
      throw new BadRequest(400, "give either inputs (numbers) or rows (by column name), not both");
    }
    JsonNode list = o.has("inputs") ? o.get("inputs") : o.get("rows");
    String field = o.has("inputs") ? "inputs" : "rows";
    if (!list.isArray()) {
      throw new BadRequest(400, field + " must be a list of rows");
    }
    if (list.isEmpty()) {
      throw new BadRequest(400, field + " is empty");
    }
    if (list.size() > maxBatch) {
      throw new BadRequest(
          413, field + " holds " + list.size() + " rows; at most " + maxBatch + " a request");
    }
    float[][] rows = new float[list.size()][];
    if (field.equals("inputs")) {
      int d = model.inputSize();
      for (int r = 0; r < rows.length; r++) {
        JsonNode row = list.get(r);
        if (!row.isArray() || row.size() != d) {
          throw new BadRequest(
              400,
              "inputs["
                  + r
                  + "] "
                  + (row.isArray() ? "has " + row.size() + " numbers" : "is not a list of numbers")
                  + "; the model reads "
                  + d);
        }
        float[] x = new float[d];
        for (int j = 0; j < d; j++) {
          JsonNode v = row.get(j);
          if (!v.isNumber() || !Float.isFinite(v.floatValue())) {
            throw new BadRequest(
                400,
                "inputs["
                    + r
                    + "]["
                    + j
                    + "] is "
                    + clip(v.toString())
                    + "; expected a finite number");
          }
          x[j] = v.floatValue();
        }
        rows[r] = x;
      }
    } else {
      if (model.table() == null) {
        throw new BadRequest(
            400, "rows by column name are for table models; give this model's inputs as numbers");
      }
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
    }
    return new Request(rows, top, all);
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
