package dev.mlp.onnx;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlp.core.config.DatasetSpec;
import dev.mlp.core.nn.Layer;
import dev.mlp.core.nn.LayerOrigin;
import dev.mlp.core.nn.OnnxExportable;
import dev.mlp.core.nn.Sequential;
import dev.mlp.data.fetch.FileStore;
import dev.mlp.data.mnist.FashionMnistSpec;
import dev.mlp.data.mnist.MnistSpec;
import dev.mlp.onnx.proto.Onnx;
import dev.mlp.run.Mlp;
import dev.mlp.run.Model;
import dev.mlp.run.config.ConfigException;
import dev.mlp.run.folder.AtomicFile;
import dev.mlp.run.image.ImageFolderSpec;
import dev.mlp.run.table.TableInput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained {@link Model} as an ONNX model: standard operator set 17 (the newest that Debian's
 * python3-onnx 1.12 checks), IR version 8, one float32 input {@code input} of shape [N, features]
 * with N left free, one output of shape [N, outputs]: {@code probabilities} for a softmax
 * classifier, {@code scores} for another classifier, {@code values} for a regressor.
 *
 * <p>Each layer writes its own nodes ({@link OnnxExportable}); a layer that does not (a plugin's)
 * is refused by its config path, type and plugin. Dropout is the identity and the loss is replaced
 * by its inference answer, as {@link Model#outputs} computes it.
 *
 * <p>What the inputs are: a table model's scaling, (value − center) / scale per numeric column, is
 * part of the graph, since the numbers a user has are the raw ones and the center and scale were
 * learned with the weights; with missing values allowed in training, a NaN input is filled as
 * training filled it ({@code IsNaN}, {@code Where}). A categorical column is given as its one-hot
 * inputs, in the order the metadata {@code mlp.inputs} lists. An image model reads the pixels as
 * mlp's own API does, in [0, 1] (pixel / 255), white on black, row by row; that division is not in
 * the graph because turning a picture into those pixels takes more than it (grey levels, inversion,
 * for MNIST the digit fitted and centred), which {@code mlp predict} and {@code mlp serve} do and
 * the metadata {@code mlp.input} describes.
 */
public final class OnnxExport {
  /** The standard operator set the graph uses. */
  public static final int OPSET = 17;

  /** The ONNX IR version of the file (ONNX 1.12's). */
  public static final long IR_VERSION = 8;

  /** The graph's input. */
  public static final String INPUT = "input";

  private OnnxExport() {}

  /**
   * Writes {@code model} as ONNX to {@code out}, whole or not at all (a temporary file renamed into
   * place).
   *
   * @throws ConfigException naming a layer with no ONNX mapping
   */
  public static void write(Model model, Path out) throws IOException, ConfigException {
    byte[] bytes = toOnnx(model).toByteArray();
    AtomicFile.write(out, bytes);
  }

  /**
   * The ONNX model of {@code model}.
   *
   * @throws ConfigException naming a layer with no ONNX mapping
   */
  public static Onnx.ModelProto toOnnx(Model model) throws IOException, ConfigException {
    Sequential net = model.network();
    Onnx.GraphProto.Builder graph =
        Onnx.GraphProto.newBuilder().setName(graphName(model)).setDocString(describe(model));
    GraphBuilder g = new GraphBuilder(graph);
    String output = outputName(model);
    g.reserve(INPUT);
    g.reserve(output);
    graph.addInput(tensor(INPUT, model.inputSize()));
    String x = INPUT;
    TableInput table = model.table();
    if (table != null) {
      x = scaling(g, table, x);
    }
    List<Layer> layers = net.layers();
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      LayerOrigin origin = net.origins().get(i);
      if (!(layer instanceof OnnxExportable e)) {
        throw new ConfigException(
            origin.label()
                + " has no ONNX form; a plugin's layer gives one by implementing "
                + OnnxExportable.class.getName());
      }
      g.scope(origin.path());
      x = e.toOnnx(g, x);
    }
    g.scope("output");
    g.rename(x, output);
    graph.addOutput(tensor(output, model.numClasses()));
    Onnx.ModelProto.Builder m =
        Onnx.ModelProto.newBuilder()
            .setIrVersion(IR_VERSION)
            .setProducerName("mlp")
            .setProducerVersion(Mlp.version())
            .setDocString(describe(model))
            .setGraph(graph)
            .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
    for (Map.Entry<String, String> e : metadata(model, output).entrySet()) {
      m.addMetadataProps(
          Onnx.StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
    }
    return m.build();
  }

  /** (x − center) / scale per input; NaN filled first when training filled gaps. */
  private static String scaling(GraphBuilder g, TableInput table, String x) {
    g.scope("preprocessing");
    List<TableInput.Slot> slots = table.slots();
    int w = slots.size();
    float[] center = new float[w];
    float[] scale = new float[w];
    float[] fill = new float[w];
    for (int i = 0; i < w; i++) {
      center[i] = slots.get(i).center();
      scale[i] = slots.get(i).scale();
      fill[i] = slots.get(i).fill();
    }
    if (table.fillsMissing()) {
      x = g.node("Where", Map.of(), g.node("IsNaN", Map.of(), x), g.constant("fill", fill, w), x);
    }
    String centered = g.node("Sub", Map.of(), x, g.constant("center", center, w));
    return g.node("Div", Map.of(), centered, g.constant("scale", scale, w));
  }

  private static Onnx.ValueInfoProto tensor(String name, int width) {
    Onnx.TensorShapeProto shape =
        Onnx.TensorShapeProto.newBuilder()
            .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
            .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(width))
            .build();
    return Onnx.ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            Onnx.TypeProto.newBuilder()
                .setTensorType(
                    Onnx.TypeProto.Tensor.newBuilder()
                        .setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE)
                        .setShape(shape)))
        .build();
  }

  /** {@code probabilities}, {@code scores} or {@code values}: what the output holds. */
  public static String outputName(Model model) {
    return model.outputName();
  }

  private static boolean regression(Model model) {
    return model.regression();
  }

  private static String graphName(Model model) {
    String name = model.checkpoint() != null ? model.checkpoint().configName() : null;
    return name == null || name.isBlank() ? "mlp" : name;
  }

  private static String describe(Model model) {
    return "mlp "
        + Mlp.version()
        + " model: "
        + model.network().layers().stream().map(Layer::typeName).toList()
        + ", "
        + model.inputSize()
        + " inputs, "
        + model.numClasses()
        + " outputs ("
        + outputName(model)
        + ")";
  }

  /** What a user of the file needs besides the graph: how to make the inputs, what comes out. */
  static Map<String, String> metadata(Model model, String output) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<String, String> m = new LinkedHashMap<>();
    m.put("mlp.version", Mlp.version());
    m.put("mlp.task", regression(model) ? "regression" : "classification");
    m.put("mlp.input", inputText(model));
    m.put("mlp.output", outputText(model, output));
    if (!regression(model)) {
      m.put("mlp.classes", json.writeValueAsString(model.classNames()));
    }
    TableInput table = model.table();
    if (table != null) {
      ArrayNode inputs = json.createArrayNode();
      for (TableInput.Slot s : table.slots()) {
        ObjectNode o = inputs.addObject().put("column", s.column());
        if (s.category() != null) {
          o.put("category", s.category());
        } else {
          o.put("center", s.center()).put("scale", s.scale()).put("fill", s.fill());
        }
      }
      m.put("mlp.inputs", json.writeValueAsString(inputs));
      m.put("mlp.label", table.label());
    }
    if (model.checkpoint() != null) {
      m.put("mlp.config", model.checkpoint().configYaml());
      m.put("mlp.checkpoint.sha256", FileStore.sha256(model.checkpoint().file()));
      m.put("mlp.data.sha256", String.valueOf(model.checkpoint().dataChecksum()));
      try {
        m.put("mlp.epoch", String.valueOf(model.epoch()));
      } catch (IOException e) {
        // a checkpoint without a training state: no epoch to tell
      }
    }
    return m;
  }

  private static String inputText(Model model) {
    int f = model.inputSize();
    TableInput table = model.table();
    if (table != null) {
      return f
          + " float32 inputs per row, one per numeric column (its value as it is; the graph"
          + " scales it"
          + (table.fillsMissing() ? ", and fills NaN as training filled a missing value" : "")
          + ") and one per category of a categorical column (1 for the row's category, else 0),"
          + " in the order mlp.inputs lists";
    }
    DatasetSpec data = model.config().data();
    String pixels =
        " float32 inputs per image: its pixels row by row, in [0, 1] (pixel / 255), light on"
            + " dark (0 is the background)";
    if (data instanceof MnistSpec) {
      return f
          + pixels
          + "; a 28×28 picture of a handwritten digit, prepared as MNIST was: white ink on black,"
          + " the digit scaled to fit 20×20 and centred by its centre of mass (mlp predict and"
          + " mlp serve do this to any picture)";
    }
    if (data instanceof FashionMnistSpec) {
      return f
          + pixels
          + "; a 28×28 picture of a product, prepared as Fashion-MNIST was: light on black,"
          + " fitted into 28×28 and centred (mlp predict and mlp serve do this to any picture)";
    }
    if (data instanceof ImageFolderSpec spec) {
      return f + pixels + "; a " + spec.size().get(0) + "×" + spec.size().get(1) + " grey picture";
    }
    return f + " float32 inputs per row, as the model's data set " + data + " gives them";
  }

  private static String outputText(Model model, String output) {
    int k = model.numClasses();
    return switch (output) {
      case "probabilities" -> k + " class probabilities per row (softmax), in mlp.classes order";
      case "scores" -> k + " class scores per row, in mlp.classes order: the largest is the class";
      default -> k + " predicted value" + (k == 1 ? "" : "s") + " per row, in the label's unit";
    };
  }
}
