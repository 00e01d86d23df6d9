package dev.mlp.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.mlp.core.data.Dataset;
import dev.mlp.onnx.proto.Onnx;
import dev.mlp.run.Mlp;
import dev.mlp.run.Model;
import dev.mlp.run.table.TableInput;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every export is run in Microsoft's ONNX Runtime, a second implementation of the operators, and
 * must give what mlp gives: the same class for every sample, probabilities and values within 1e-5.
 */
class OnnxExportTest {
  static final Path CONFIGS = Path.of("..", "configs");
  static final double TOLERANCE = 1e-5;

  @TempDir Path tmp;

  @Test
  void theSeedModelGivesMlpsClassAndProbabilitiesForAllTenThousandMnistTestImages()
      throws Exception {
    Mlp.Trained t =
        Mlp.training(CONFIGS.resolve("mnist-2layer.yaml"))
            .set("training.epochs", "1")
            .out(tmp.resolve("run"))
            .train();
    Model model = Model.load(t.checkpoint());
    Dataset test = t.data().test();
    float[][] rows = rows(test);
    Onnx.ModelProto onnx = OnnxExport.toOnnx(model);
    assertThat(onnx.getGraph().getOutput(0).getName()).isEqualTo("probabilities");
    assertThat(ops(onnx)).containsExactly("Gemm", "Sigmoid", "Gemm", "Softmax", "Identity");
    float[][] ours = model.outputs(rows);
    float[][] theirs = run(onnx, rows, "probabilities");
    assertSame(ours, theirs, true);
    Map<String, String> meta = metadata(onnx);
    assertThat(meta.get("mlp.classes"))
        .isEqualTo("[\"0\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]");
    assertThat(meta.get("mlp.input")).startsWith("784 float32 inputs per image").contains("/ 255");
    assertThat(meta.get("mlp.config")).contains("name: mnist-2layer");
    assertThat(meta.get("mlp.epoch")).isEqualTo("1");
  }

  @Test
  void aTableModelTakesTheRawColumnsItsScalingIsInTheGraph() throws Exception {
    Mlp.Trained t =
        Mlp.training(CONFIGS.resolve("seattle-weather.yaml"))
            .set("training.epochs", "3")
            .out(tmp.resolve("run"))
            .train();
    Model model = Model.load(t.checkpoint());
    Path csv = cachedCsv("seattle-weather.csv");
    List<Map<String, String>> table = readCsv(csv);
    assertThat(table).hasSize(1461);
    TableInput in = model.table();
    float[][] raw = new float[table.size()][];
    float[][] ours = new float[table.size()][];
    for (int r = 0; r < table.size(); r++) {
      raw[r] = raw(in, table.get(r));
      ours[r] = model.outputs(new float[][] {model.features(table.get(r))})[0];
    }
    Onnx.ModelProto onnx = OnnxExport.toOnnx(model);
    assertThat(ops(onnx)).startsWith("Sub", "Div", "Gemm");
    assertSame(ours, run(onnx, raw, "probabilities"), true);
    assertThat(metadata(onnx).get("mlp.inputs"))
        .startsWith("[{\"column\":\"precipitation\",\"center\":");
  }

  @Test
  void aRegressorGivesValuesInTheLabelsUnit() throws Exception {
    Mlp.Trained t =
        Mlp.training(CONFIGS.resolve("seattle-temp.yaml"))
            .set("training.epochs", "3")
            .out(tmp.resolve("run"))
            .train();
    Model model = Model.load(t.checkpoint());
    Onnx.ModelProto onnx = OnnxExport.toOnnx(model);
    assertThat(onnx.getGraph().getOutput(0).getName()).isEqualTo("values");
    assertThat(metadata(onnx)).containsEntry("mlp.task", "regression");
    List<Map<String, String>> table = readCsv(cachedCsv("seattle-weather.csv"));
    float[][] raw = new float[table.size()][];
    float[][] ours = new float[table.size()][];
    for (int r = 0; r < table.size(); r++) {
      raw[r] = raw(model.table(), table.get(r));
      ours[r] = new float[] {model.value(table.get(r))};
    }
    assertSame(ours, run(onnx, raw, "values"), false);
  }

  @Test
  void categoriesAreOneHotInputsAndAMissingNumberIsFilledInTheGraph() throws Exception {
    // a table of our own: a categorical column, and empty cells that training fills with the mean
    Random r = new Random(7);
    StringBuilder csv = new StringBuilder("size,colour,weight,kind\n");
    String[] colours = {"red", "green", "blue"};
    for (int i = 0; i < 300; i++) {
      String colour = colours[r.nextInt(3)];
      double size = r.nextGaussian() * 3 + 10;
      double weight = r.nextGaussian() * 50 + 200;
      String kind = size + (colour.equals("red") ? 4 : 0) > 11 ? "big" : "small";
      csv.append(i % 17 == 0 ? "" : String.format(java.util.Locale.ROOT, "%.3f", size))
          .append(',')
          .append(colour)
          .append(',')
          .append(i % 13 == 0 ? "" : String.format(java.util.Locale.ROOT, "%.2f", weight))
          .append(',')
          .append(kind)
          .append('\n');
    }
    Path data = Files.writeString(tmp.resolve("things.csv"), csv);
    Path config =
        Files.writeString(
            tmp.resolve("things.yaml"),
            "name: things\nseed: 3\ndata:\n  type: csv\n  path: "
                + data
                + "\n  header: true\n  label: kind\n  missing: mean\n"
                + "model:\n  layers:\n    - {type: linear, units: 16}\n    - {type: gelu}\n"
                + "    - {type: dropout, rate: 0.2}\n    - {type: linear, units: 8}\n"
                + "    - {type: tanh}\n    - {type: linear, units: 2}\n"
                + "    - {type: softmax_cross_entropy}\n"
                + "optimizer: {type: adam, lr: 0.01}\ntraining: {epochs: 3, batch_size: 16}\n");
    Mlp.Trained t = Mlp.training(config).out(tmp.resolve("run")).train();
    Model model = Model.load(t.checkpoint());
    List<Map<String, String>> table = readCsv(data);
    float[][] raw = new float[table.size()][];
    float[][] ours = new float[table.size()][];
    for (int i = 0; i < table.size(); i++) {
      raw[i] = raw(model.table(), table.get(i));
      ours[i] = model.outputs(new float[][] {model.features(table.get(i))})[0];
    }
    Onnx.ModelProto onnx = OnnxExport.toOnnx(model);
    assertThat(ops(onnx)).startsWith("IsNaN", "Where", "Sub", "Div").doesNotContain("Dropout");
    assertThat(raw[0][0]).as("row 1's empty size, given as NaN").isNaN();
    assertSame(ours, run(onnx, raw, "probabilities"), true);
    assertThat(metadata(onnx).get("mlp.inputs"))
        .contains("{\"column\":\"colour\",\"category\":\"red\"}");
  }

  @Test
  void everyBuiltInActivationAndLossMatchesOnnxRuntime() throws Exception {
    // one small model per kind of layer, on random inputs around the range training gives them
    String[][] cases = {
      {"relu", "softmax_cross_entropy"},
      {"leaky_relu, negative_slope: 0.2", "softmax_cross_entropy"},
      {"sigmoid", "mse"},
      {"tanh", "l1"},
      {"gelu", "huber, delta: 0.5"},
    };
    for (String[] c : cases) {
      Path config =
          Files.writeString(
              tmp.resolve(c[0].split(",")[0] + ".yaml"),
              "name: kinds\nseed: 5\ndata:\n  type: csv\n  path: "
                  + cachedCsv("seattle-weather.csv")
                  + "\n  label: weather\n  exclude: [date]\n"
                  + "model:\n  layers:\n    - {type: linear, units: 12}\n    - {type: "
                  + c[0]
                  + "}\n    - {type: linear, units: 5}\n    - {type: "
                  + c[1]
                  + "}\noptimizer: {type: adam, lr: 0.01}\ntraining: {epochs: 1}\n");
      Mlp.Trained t = Mlp.training(config).out(tmp.resolve("run-" + c[0].split(",")[0])).train();
      Model model = Model.load(t.checkpoint());
      Random r = new Random(11);
      float[][] raw = new float[200][model.inputSize()];
      float[][] scaled = new float[200][];
      List<TableInput.Slot> slots = model.table().slots();
      for (int i = 0; i < raw.length; i++) {
        scaled[i] = new float[raw[i].length];
        for (int j = 0; j < raw[i].length; j++) {
          TableInput.Slot s = slots.get(j);
          raw[i][j] = s.center() + s.scale() * (float) (r.nextGaussian() * 2);
          scaled[i][j] = (raw[i][j] - s.center()) / s.scale();
        }
      }
      Onnx.ModelProto onnx = OnnxExport.toOnnx(model);
      String out = onnx.getGraph().getOutput(0).getName();
      assertThat(out)
          .as(c[1])
          .isEqualTo(c[1].equals("softmax_cross_entropy") ? "probabilities" : "scores");
      float[][] theirs = run(onnx, raw, out);
      float[][] ours = model.outputs(scaled);
      for (int i = 0; i < ours.length; i++) {
        for (int j = 0; j < ours[i].length; j++) {
          assertThat((double) theirs[i][j])
              .as("%s/%s row %d output %d", c[0], c[1], i, j)
              .isCloseTo(
                  ours[i][j],
                  org.assertj.core.data.Offset.offset(
                      TOLERANCE * Math.max(1, Math.abs(ours[i][j]))));
        }
      }
    }
  }

  /** The inputs the graph reads for a row: raw numbers (NaN when missing), categories one-hot. */
  static float[] raw(TableInput in, Map<String, String> row) {
    List<TableInput.Slot> slots = in.slots();
    float[] x = new float[slots.size()];
    for (int j = 0; j < slots.size(); j++) {
      TableInput.Slot s = slots.get(j);
      String v = row.get(s.column());
      if (s.category() != null) {
        x[j] = s.category().equals(v) ? 1f : 0f;
      } else {
        x[j] = v == null || v.isEmpty() ? Float.NaN : Float.parseFloat(v);
      }
    }
    return x;
  }

  static void assertSame(float[][] ours, float[][] theirs, boolean classes) {
    assertThat(theirs.length).isEqualTo(ours.length);
    double worst = 0;
    int sameClass = 0;
    for (int i = 0; i < ours.length; i++) {
      for (int j = 0; j < ours[i].length; j++) {
        double scale = classes ? 1 : Math.max(1, Math.abs(ours[i][j]));
        worst = Math.max(worst, Math.abs(ours[i][j] - theirs[i][j]) / scale);
      }
      if (argmax(ours[i]) == argmax(theirs[i])) {
        sameClass++;
      }
    }
    assertThat(worst).as("largest difference from mlp's outputs").isLessThanOrEqualTo(TOLERANCE);
    if (classes) {
      assertThat(sameClass).as("samples given mlp's class").isEqualTo(ours.length);
    }
  }

  static int argmax(float[] v) {
    int best = 0;
    for (int j = 1; j < v.length; j++) {
      if (v[j] > v[best]) {
        best = j;
      }
    }
    return best;
  }

  /** The model's outputs for {@code rows} in ONNX Runtime, 1000 rows a run. */
  static float[][] run(Onnx.ModelProto onnx, float[][] rows, String output) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    float[][] out = new float[rows.length][];
    try (OrtSession s = env.createSession(onnx.toByteArray(), new OrtSession.SessionOptions())) {
      int d = rows[0].length;
      for (int from = 0; from < rows.length; from += 1000) {
        int n = Math.min(1000, rows.length - from);
        float[] flat = new float[n * d];
        for (int r = 0; r < n; r++) {
          System.arraycopy(rows[from + r], 0, flat, r * d, d);
        }
        try (OnnxTensor t =
                OnnxTensor.createTensor(env, FloatBuffer.wrap(flat), new long[] {n, d});
            OrtSession.Result res = s.run(Map.of(OnnxExport.INPUT, t))) {
          float[][] y = (float[][]) res.get(output).orElseThrow().getValue();
          System.arraycopy(y, 0, out, from, n);
        }
      }
    }
    return out;
  }

  static float[][] rows(Dataset d) {
    int f = d.featureSize();
    float[][] rows = new float[d.count()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = java.util.Arrays.copyOfRange(d.features(), i * f, (i + 1) * f);
    }
    return rows;
  }

  static List<String> ops(Onnx.ModelProto m) {
    return m.getGraph().getNodeList().stream().map(Onnx.NodeProto::getOpType).toList();
  }

  static Map<String, String> metadata(Onnx.ModelProto m) {
    Map<String, String> meta = new HashMap<>();
    m.getMetadataPropsList().forEach(e -> meta.put(e.getKey(), e.getValue()));
    return meta;
  }

  /** A CSV file mlp cached for a config's npm data set (seattle-weather's, fetched if need be). */
  static Path cachedCsv(String name) throws Exception {
    Path found = findCached(name);
    if (found == null) {
      Path out = Files.createTempDirectory("mlp-fetch");
      Mlp.training(CONFIGS.resolve("seattle-weather.yaml"))
          .set("training.epochs", "1")
          .out(out.resolve("run"))
          .train();
      found = findCached(name);
    }
    assertThat(found).as(name + " in mlp's cache").isNotNull();
    return found;
  }

  private static Path findCached(String name) throws java.io.IOException {
    String home = System.getenv("MLP_HOME");
    Path cache =
        home != null ? Path.of(home) : Path.of(System.getProperty("user.home"), ".cache", "mlp");
    if (!Files.isDirectory(cache.resolve("csv"))) {
      return null;
    }
    try (var files = Files.walk(cache.resolve("csv"))) {
      return files.filter(f -> f.getFileName().toString().equals(name)).findFirst().orElse(null);
    }
  }

  /** A plain CSV file (no quotes) as rows by column name. */
  static List<Map<String, String>> readCsv(Path file) throws java.io.IOException {
    List<String> lines = Files.readAllLines(file);
    String[] header = lines.get(0).split(",", -1);
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isEmpty()) {
        continue;
      }
      String[] cells = line.split(",", -1);
      Map<String, String> row = new LinkedHashMap<>();
      for (int j = 0; j < header.length; j++) {
        row.put(header[j], cells[j]);
      }
      rows.add(row);
    }
    return rows;
  }
}
