package dev.mlp.run.checkpoint;

import dev.mlp.core.nn.Layer;
import dev.mlp.core.nn.Parameter;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.nn.Stochastic;
import dev.mlp.core.optim.Optimizer;
import dev.mlp.core.train.TrainingState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model's weights, its optimizer's state and where the run stood, in one safetensors file.
 *
 * <p>Tensors are named as PyTorch names a {@code nn.Sequential}'s, {@code layers.<index>.<name>},
 * each in the shape its {@link Parameter} declares ({@link Parameter#shape()}, whatever the name):
 * {@code layers.0.weight} [out, in], {@code layers.0.bias} [out]; the optimizer's state follows as
 * {@code optimizer.layers.0.weight.exp_avg} and so on. The metadata holds the resolved config, the
 * position in the run, each dropout layer's random stream, the data set's checksum and the format
 * and project versions. A file that does not fit the model it is loaded into is refused with a
 * message naming the tensor.
 */
public final class Checkpoint {
  /** The layout this code writes and reads; a different one is refused, never guessed at. */
  public static final String FORMAT = "mlp-checkpoint/1";

  private final Path file;
  private final Map<String, String> metadata;
  private final Map<String, Safetensors.Tensor> tensors;

  private Checkpoint(Path file, Safetensors.Contents contents) {
    this.file = file;
    this.metadata = contents.metadata();
    this.tensors = contents.tensors();
  }

  /** What a checkpoint records about the run besides tensors and position. */
  /**
   * @param classes the class names the data gave (empty for a regressor)
   * @param preprocessing what turns a source's rows into inputs, as the data set's JSON; null when
   *     the inputs need none
   */
  public record Info(
      String configYaml,
      String configName,
      String dataChecksum,
      String version,
      List<String> classes,
      String preprocessing) {

    public Info(String configYaml, String configName, String dataChecksum, String version) {
      this(configYaml, configName, dataChecksum, version, List.of(), null);
    }
  }

  /** Writes {@code model}'s weights, {@code optimizer}'s state and {@code state}, atomically. */
  public static void save(
      Path file, Sequential model, Optimizer optimizer, TrainingState state, Info info)
      throws IOException {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("mlp_version", info.version());
    meta.put("config_name", info.configName());
    meta.put("data_checksum", info.dataChecksum());
    meta.put("input_size", Integer.toString(model.inputSize()));
    meta.put("num_classes", Integer.toString(model.loss().outputSize()));
    meta.put("epoch", Integer.toString(state.epoch()));
    meta.put("step_in_epoch", Integer.toString(state.stepInEpoch()));
    meta.put("step", Long.toString(state.steps()));
    meta.put("epoch_loss_sum", Double.toString(state.lossSum()));
    meta.put("epoch_correct", Long.toString(state.correct()));
    meta.put("epoch_samples", Long.toString(state.samples()));
    meta.put("best_epoch", Integer.toString(state.bestEpoch()));
    meta.put("best_accuracy", Double.toString(state.bestAccuracy()));
    meta.put("stalled", Integer.toString(state.stalled()));
    meta.put("stopped_early", Boolean.toString(state.stoppedEarly()));
    meta.put("optimizer", optimizer.toString());
    meta.put("optimizer_steps", Long.toString(optimizer.steps()));
    List<Layer> layers = model.layers();
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) instanceof Stochastic s) {
        meta.put("random_state.layers." + i, Long.toString(s.randomState()));
      }
    }
    meta.put("config", info.configYaml());
    if (!info.classes().isEmpty()) {
      meta.put("classes", jsonStrings(info.classes()));
    }
    if (info.preprocessing() != null) {
      meta.put("preprocessing", info.preprocessing());
    }

    List<Safetensors.Tensor> out = new ArrayList<>();
    List<Named> params = named(model);
    for (Named p : params) {
      out.add(new Safetensors.Tensor(p.name(), shape(p.parameter()), p.parameter().value().data()));
    }
    List<String> slots = optimizer.stateSlots();
    List<Parameter> all = model.parameters();
    for (int i = 0; i < params.size(); i++) {
      float[][] s = optimizer.state(all, i);
      for (int k = 0; k < slots.size(); k++) {
        out.add(
            new Safetensors.Tensor(
                "optimizer." + params.get(i).name() + "." + slots.get(k),
                shape(params.get(i).parameter()),
                s[k]));
      }
    }
    Safetensors.write(file, meta, out);
  }

  /** Reads {@code file} and checks it is a checkpoint this version understands. */
  public static Checkpoint read(Path file) throws CheckpointException {
    Checkpoint c = new Checkpoint(file, Safetensors.read(file));
    String format = c.metadata.get("format");
    if (format == null) {
      throw c.bad(
          "a safetensors file but not an mlp checkpoint (no format in its metadata); "
              + "mlp writes its own with mlp train");
    }
    if (!format.equals(FORMAT)) {
      throw c.bad(
          "written as "
              + format
              + " by mlp "
              + c.metadata.getOrDefault("mlp_version", "?")
              + "; this mlp reads "
              + FORMAT);
    }
    c.text("config");
    c.state(); // every position field present and sane
    return c;
  }

  public Path file() {
    return file;
  }

  /** The resolved config the run was trained with, as YAML. */
  public String configYaml() {
    return metadata.get("config");
  }

  public String configName() {
    return metadata.getOrDefault("config_name", "?");
  }

  public String dataChecksum() {
    return metadata.getOrDefault("data_checksum", "");
  }

  public String version() {
    return metadata.getOrDefault("mlp_version", "?");
  }

  /** Features per sample the model reads. */
  public int inputSize() throws CheckpointException {
    return positive("input_size");
  }

  /** Classes (outputs) the model predicts. */
  public int numClasses() throws CheckpointException {
    return positive("num_classes");
  }

  private int positive(String key) throws CheckpointException {
    try {
      int n = Integer.parseInt(text(key));
      if (n < 1) {
        throw new NumberFormatException(key + " is " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw bad("its metadata holds a bad " + key + ": " + e.getMessage());
    }
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  /** Where the run stood when this was written. */
  public TrainingState state() throws CheckpointException {
    try {
      return new TrainingState(
          number("epoch", Integer::parseInt),
          number("step_in_epoch", Integer::parseInt),
          number("step", Long::parseLong),
          number("epoch_loss_sum", Double::parseDouble),
          number("epoch_correct", Long::parseLong),
          number("epoch_samples", Long::parseLong),
          number("best_epoch", Integer::parseInt),
          number("best_accuracy", Double::parseDouble),
          number("stalled", Integer::parseInt),
          bool("stopped_early"));
    } catch (IllegalArgumentException e) {
      throw bad("its training position is damaged: " + e.getMessage());
    }
  }

  /** A numeric entry; a value that does not parse is damage, named by its key. */
  private <T> T number(String key, java.util.function.Function<String, T> parse)
      throws CheckpointException {
    String v = text(key);
    try {
      return parse.apply(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " is '" + v + "', not a number");
    }
  }

  /** A true/false entry; anything else is damage, not false (as Boolean.parseBoolean has it). */
  private boolean bool(String key) throws CheckpointException {
    String v = text(key);
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(key + " is '" + v + "', not true or false");
    }
    return v.equals("true");
  }

  /** Copies the weights into {@code model}, after checking every tensor fits it. */
  public void loadWeights(Sequential model) throws CheckpointException {
    List<Named> params = named(model);
    Set<String> expected = new HashSet<>();
    for (Named p : params) {
      expected.add(p.name());
      Safetensors.Tensor t = tensors.get(p.name());
      if (t == null) {
        throw bad(
            "has no tensor "
                + p.name()
                + " that the configured model needs (model: "
                + describe(params)
                + ")");
      }
      long[] want = shape(p.parameter());
      if (!Arrays.equals(t.shape(), want)) {
        throw bad(
            "tensor "
                + p.name()
                + " has shape "
                + Arrays.toString(t.shape())
                + " but the configured model needs "
                + Arrays.toString(want));
      }
    }
    for (String name : tensors.keySet()) {
      if (!name.startsWith("optimizer.") && !expected.contains(name)) {
        throw bad(
            "has tensor "
                + name
                + " that the configured model does not ("
                + describe(params)
                + ")");
      }
    }
    for (Named p : params) {
      float[] src = tensors.get(p.name()).data();
      for (int i = 0; i < src.length; i++) {
        if (!Float.isFinite(src[i])) {
          // a model with a NaN or infinite weight answers nonsense: refused, never served
          throw bad(
              "tensor "
                  + p.name()
                  + " holds "
                  + src[i]
                  + " at index "
                  + i
                  + "; a model's weights must be finite numbers (a damaged or diverged file)");
        }
      }
    }
    for (Named p : params) {
      float[] src = tensors.get(p.name()).data();
      System.arraycopy(src, 0, p.parameter().value().data(), 0, src.length);
    }
  }

  /** The weights alone, in the order of {@code model.parameters()}, checked against the model. */
  public float[][] weights(Sequential model) throws CheckpointException {
    List<Named> params = named(model);
    float[][] w = new float[params.size()][];
    for (int i = 0; i < w.length; i++) {
      Safetensors.Tensor t = tensors.get(params.get(i).name());
      if (t == null || t.data().length != params.get(i).parameter().size()) {
        throw bad("does not hold the weights of the configured model");
      }
      w[i] = t.data();
    }
    return w;
  }

  /** Restores the optimizer's state and step count and each dropout layer's random stream. */
  public void loadTrainingState(Sequential model, Optimizer optimizer) throws CheckpointException {
    List<Named> params = named(model);
    List<Parameter> all = model.parameters();
    List<String> slots = optimizer.stateSlots();
    for (int i = 0; i < params.size(); i++) {
      float[][] live = optimizer.state(all, i);
      for (int k = 0; k < slots.size(); k++) {
        String name = "optimizer." + params.get(i).name() + "." + slots.get(k);
        Safetensors.Tensor t = tensors.get(name);
        if (t == null || t.data().length != live[k].length) {
          throw bad(
              "has no optimizer state "
                  + name
                  + " for "
                  + optimizer
                  + " (was the run trained with another optimizer?)");
        }
        System.arraycopy(t.data(), 0, live[k], 0, live[k].length);
      }
    }
    try {
      optimizer.setSteps(number("optimizer_steps", Long::parseLong));
      List<Layer> layers = model.layers();
      for (int i = 0; i < layers.size(); i++) {
        if (layers.get(i) instanceof Stochastic s) {
          s.setRandomState(number("random_state.layers." + i, Long::parseLong));
        }
      }
    } catch (IllegalArgumentException e) { // a bad number, or a negative step count
      throw bad("its training state is damaged: " + e.getMessage());
    }
  }

  private record Named(String name, Parameter parameter) {}

  /** Each parameter with its PyTorch-style name: layers.{index in the model}.{parameter}. */
  private static List<Named> named(Sequential model) {
    List<Named> out = new ArrayList<>();
    List<Layer> layers = model.layers();
    for (int i = 0; i < layers.size(); i++) {
      for (Parameter p : layers.get(i).parameters()) {
        out.add(new Named("layers." + i + "." + p.name(), p));
      }
    }
    return out;
  }

  /** The shape the parameter declares ({@link Parameter#shape()}), whatever its name. */
  private static long[] shape(Parameter p) {
    int[] declared = p.shape();
    long[] shape = new long[declared.length];
    for (int i = 0; i < declared.length; i++) {
      shape[i] = declared[i];
    }
    return shape;
  }

  private static String describe(List<Named> params) {
    StringBuilder b = new StringBuilder();
    for (Named p : params) {
      b.append(b.length() == 0 ? "" : ", ")
          .append(p.name())
          .append(Arrays.toString(shape(p.parameter())));
    }
    return b.toString();
  }

  private String text(String key) throws CheckpointException {
    String v = metadata.get(key);
    if (v == null) {
      throw bad("its metadata lacks '" + key + "' (a damaged or foreign checkpoint)");
    }
    return v;
  }

  private CheckpointException bad(String what) {
    return new CheckpointException(file + ": " + what);
  }

  /** A list of strings as a JSON array, for a metadata value. */
  private static String jsonStrings(List<String> values) {
    com.fasterxml.jackson.databind.node.ArrayNode a =
        new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
    values.forEach(a::add);
    return a.toString();
  }

  /** The class names the checkpoint's data gave, or empty (MNIST's, and a regressor's). */
  public List<String> classNames() {
    String json = metadata().get("classes");
    if (json == null) {
      return List.of();
    }
    try {
      List<String> out = new java.util.ArrayList<>();
      for (var n : new com.fasterxml.jackson.databind.ObjectMapper().readTree(json)) {
        out.add(n.asText());
      }
      return List.copyOf(out);
    } catch (java.io.IOException e) {
      return List.of();
    }
  }
}
