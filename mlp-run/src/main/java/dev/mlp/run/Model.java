package dev.mlp.run;

import dev.mlp.core.config.DatasetSpec;
import dev.mlp.core.config.ExperimentConfig;
import dev.mlp.core.config.SpecException;
import dev.mlp.core.data.DataSplits;
import dev.mlp.core.data.Dataset;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.registry.ModelBuilder;
import dev.mlp.core.registry.Registry;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.tensor.Tensor;
import dev.mlp.core.train.ClassificationMetrics;
import dev.mlp.data.mnist.FashionMnistSpec;
import dev.mlp.data.mnist.MnistSpec;
import dev.mlp.run.checkpoint.Checkpoint;
import dev.mlp.run.checkpoint.CheckpointException;
import dev.mlp.run.config.ConfigException;
import dev.mlp.run.config.ConfigLoader;
import dev.mlp.run.image.BlankImageException;
import dev.mlp.run.image.MnistImages;
import dev.mlp.run.table.TableInput;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A trained model, for use from Java: loaded from a checkpoint, or handed over by {@link
 * Mlp#train}.
 *
 * <pre>{@code
 * Model model = Model.load(Path.of("runs/mnist-2layer-20261127-233000/checkpoints/last.safetensors"));
 * List<Model.Prediction> p = model.predict(rows);  // rows: float[n][784] in [0, 1], white on black
 * float[][] probabilities = model.outputs(rows);   // every class's probability, row by row
 * ClassificationMetrics m = model.evaluate(rows, labels);
 * }</pre>
 *
 * Inference runs the layers in evaluation mode and then the loss layer's inference answer ({@link
 * dev.mlp.core.nn.Loss#infer}: probabilities for softmax cross-entropy), never the loss itself. The
 * network is rebuilt from the config the checkpoint carries, with the layer types of the modules on
 * the class path and of the plugin jars in {@code $MLP_PLUGINS}. One thread at a time; use one
 * {@code Model} per thread.
 */
public final class Model {
  /** Rows run through the network at once by the batched calls. */
  private static final int BATCH = 1000;

  private final Sequential network;
  private final Checkpoint checkpoint;
  private final ExperimentConfig config;
  private final Registry registry;
  private Tensor input;

  Model(Sequential network, Checkpoint checkpoint, ExperimentConfig config) {
    this(network, checkpoint, config, null);
  }

  Model(Sequential network, Checkpoint checkpoint, ExperimentConfig config, Registry registry) {
    this.network = network;
    this.checkpoint = checkpoint;
    this.config = config;
    this.registry = registry;
  }

  /** A class and how probable the model thinks it is. */
  public record Prediction(int label, float probability) {}

  private TableInput table;
  private boolean tableRead;

  /**
   * The names of the classes, as the data named them ({@code rain}, {@code Adelie}; MNIST's are its
   * digits {@code 0} to {@code 9}); empty for a regressor.
   */
  public List<String> classNames() {
    List<String> names = checkpoint.classNames();
    if (!names.isEmpty() || table() != null && table().regression()) {
      return names;
    }
    List<String> numbers = new ArrayList<>();
    for (int c = 0; c < numClasses(); c++) {
      numbers.add(String.valueOf(c));
    }
    return List.copyOf(numbers);
  }

  /** The name of class {@code label}. */
  public String className(int label) {
    List<String> names = classNames();
    return label < names.size() ? names.get(label) : String.valueOf(label);
  }

  /**
   * How a table model (trained on a {@code csv} data set) makes its inputs from a row given by
   * column name, or null for a model whose inputs need no preparing.
   *
   * @throws IllegalStateException if the checkpoint's preprocessing cannot be read
   */
  public TableInput table() {
    if (!tableRead) {
      try {
        table =
            TableInput.parse(
                checkpoint.metadata().get("preprocessing"), checkpoint.file().toString());
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
      tableRead = true;
    }
    return table;
  }

  /**
   * The inputs of one row given by column name ({@code {"temp_max": 12.8, "wind": "4.7", ...}}),
   * prepared as the training rows were.
   *
   * @throws IllegalArgumentException if the model was not trained on a table, or naming a missing
   *     or unknown column, a value that is not a number, or a category training never saw
   */
  public float[] features(Map<String, ?> row) {
    if (table() == null) {
      throw new IllegalArgumentException(
          "the model was not trained on a table: give its inputs as numbers (or a picture)");
    }
    return table().features(row, "the row");
  }

  /** The most probable class of a row given by column name ({@link #features(Map)}). */
  public Prediction predict(Map<String, ?> row) {
    return predict(features(row));
  }

  /** A regressor's value for a row given by column name ({@link #features(Map)}). */
  public float value(Map<String, ?> row) {
    return outputs(new float[][] {features(row)})[0][0];
  }

  /** Loads {@code file} with the layer types on the class path and in {@code $MLP_PLUGINS}. */
  public static Model load(Path file) throws IOException, ConfigException {
    return load(file, Modules.registry(Plugins.load(Plugins.folder(null))));
  }

  /** Loads {@code file}, building its network from {@code registry}'s types. */
  public static Model load(Path file, Registry registry) throws IOException, ConfigException {
    Checkpoint c = Checkpoint.read(file);
    ExperimentConfig cfg =
        new ConfigLoader(registry).load(c.configYaml(), file, List.of()).config();
    return load(c, cfg, registry);
  }

  /**
   * Loads {@code file} into the network and data set that {@code config} describes instead of the
   * checkpoint's own config (null: the checkpoint's), e.g. to evaluate weights on other data.
   */
  public static Model load(Path file, Path config, Registry registry)
      throws IOException, ConfigException {
    if (config == null) {
      return load(file, registry);
    }
    Checkpoint c = Checkpoint.read(file);
    return load(c, new ConfigLoader(registry).load(config, List.of()).config(), registry);
  }

  /**
   * Builds the network {@code cfg} describes (for {@code mlp eval --config}) and loads {@code
   * checkpoint}'s weights into it; a checkpoint that does not fit is refused by tensor name.
   */
  public static Model load(Checkpoint checkpoint, ExperimentConfig cfg, Registry registry)
      throws IOException, ConfigException {
    String tooBig = MemoryCheck.refusal(cfg, checkpoint.inputSize(), false);
    if (tooBig != null) {
      throw new ConfigException(checkpoint.file() + ": its config says " + tooBig);
    }
    Sequential net;
    try {
      net =
          new ModelBuilder(registry, Kernels.forThreads(1))
              .build(cfg.model(), checkpoint.inputSize(), checkpoint.numClasses(), cfg.seed());
    } catch (SpecException e) {
      throw new ConfigException(
          checkpoint.file() + ": its config cannot be built: " + e.getMessage());
    }
    checkpoint.loadWeights(net);
    return new Model(net, checkpoint, cfg, registry);
  }

  /**
   * The data set the model's config names, fetched and verified as {@code mlp train} does; its
   * messages go to {@code log} (a {@link dev.mlp.data.fetch.TransferListener} also hears bytes).
   *
   * @throws ConfigException if its samples do not have the features the model reads
   */
  public DataSplits data(Consumer<String> log) throws IOException, ConfigException {
    DataSplits data =
        (registry != null ? registry : Modules.registry()).dataset(config.data(), log);
    if (data.featureSize() != inputSize()) {
      throw new ConfigException(
          (checkpoint != null ? checkpoint.file() + ": " : "")
              + "the model reads "
              + inputSize()
              + " features but "
              + config.data()
              + " has "
              + data.featureSize());
    }
    return data;
  }

  /**
   * A second model with the same weights and buffers of its own, for another thread: built from the
   * checkpoint already in memory, so it holds what this one holds even if the file has been
   * replaced since.
   *
   * @throws IllegalStateException for a model handed over by training (no checkpoint)
   */
  public Model replica() throws IOException, ConfigException {
    if (checkpoint == null) {
      throw new IllegalStateException("a model handed over by training has no checkpoint to copy");
    }
    return load(checkpoint, config, registry != null ? registry : Modules.registry());
  }

  /** The epochs the weights were trained for (0 for a model handed over by training). */
  public int epoch() throws CheckpointException {
    return checkpoint == null ? 0 : checkpoint.state().epoch();
  }

  /** The network, in evaluation mode whenever this class runs it. */
  public Sequential network() {
    return network;
  }

  /** The checkpoint the model was loaded from; null for a model handed over by training. */
  public Checkpoint checkpoint() {
    return checkpoint;
  }

  public ExperimentConfig config() {
    return config;
  }

  /**
   * Whether the model predicts values (a table model trained for regression) rather than classes.
   */
  public boolean regression() {
    return table() != null && table().regression();
  }

  /**
   * What {@link #outputs} holds, by the name mlp's exports and server give it: {@code
   * probabilities} (a softmax classifier), {@code scores} (a classifier with another loss) or
   * {@code values} (a regressor).
   */
  public String outputName() {
    if (regression()) {
      return "values";
    }
    return network.loss().typeName().equals("softmax_cross_entropy") ? "probabilities" : "scores";
  }

  /** Features per sample the model reads. */
  public int inputSize() {
    return network.inputSize();
  }

  /** Outputs per sample: the classes of a classifier. */
  public int numClasses() {
    return network.loss().outputSize();
  }

  /**
   * The model's answer for each row: class probabilities for a softmax classifier, values for a
   * regressor. Rows go through the network {@value #BATCH} at a time.
   *
   * @throws IllegalArgumentException naming the first row whose width is not {@link #inputSize()}
   */
  public float[][] outputs(float[][] rows) {
    int d = inputSize();
    for (int r = 0; r < rows.length; r++) {
      if (rows[r] == null || rows[r].length != d) {
        throw new IllegalArgumentException(
            "row "
                + r
                + " has "
                + (rows[r] == null ? "no" : String.valueOf(rows[r].length))
                + " features but the model reads "
                + d);
      }
    }
    int k = numClasses();
    float[][] out = new float[rows.length][];
    for (int from = 0; from < rows.length; from += BATCH) {
      int n = Math.min(BATCH, rows.length - from);
      input = Tensor.reuse(input, n, d);
      for (int r = 0; r < n; r++) {
        System.arraycopy(rows[from + r], 0, input.data(), r * d, d);
      }
      float[] y = network.infer(input).data();
      for (int r = 0; r < n; r++) {
        out[from + r] = Arrays.copyOfRange(y, r * k, (r + 1) * k);
      }
    }
    return out;
  }

  /** The model's output for one sample: class probabilities for a softmax model. */
  public float[] probabilities(float[] features) {
    return outputs(new float[][] {features})[0];
  }

  /** The most probable class of each row (the first on ties, as accuracy counts it). */
  public List<Prediction> predict(float[][] rows) {
    List<Prediction> out = new ArrayList<>(rows.length);
    for (float[] p : outputs(rows)) {
      out.add(ranked(p, 1).get(0));
    }
    return out;
  }

  /** The most probable class (the first on ties, as accuracy counts it). */
  public Prediction predict(float[] features) {
    return top(features, 1).get(0);
  }

  /**
   * The most probable class of a picture of any size, prepared as the model's data set's pictures
   * were ({@link #prepare}).
   *
   * @throws BlankImageException if nothing stands out from the picture's background: no class is
   *     made up for a blank picture
   * @throws IllegalArgumentException if the model was not trained on pictures
   */
  public Prediction predict(BufferedImage image) {
    return top(image, 1).get(0);
  }

  /**
   * The {@code k} most probable classes of a picture, as {@link #predict(BufferedImage)}.
   *
   * @throws BlankImageException if nothing stands out from the picture's background
   */
  public List<Prediction> top(BufferedImage image, int k) {
    return top(prepare(image), k);
  }

  /**
   * A picture of any size made into the model's inputs as its data set's pictures were: for {@code
   * mnist} a digit ({@link MnistImages#toMnist}: grey, white on black, fitted into 20×20, centred
   * by mass in 28×28), for {@code fashion_mnist} a product ({@link MnistImages#toFashionMnist}:
   * fitted into 28×28, centred). Read picture files from elsewhere with {@link MnistImages#read},
   * which refuses huge, truncated and damaged files and converts CMYK JPEGs.
   *
   * @throws BlankImageException (an {@code IllegalArgumentException}) if nothing stands out from
   *     the picture's background: a blank or uniform picture holds no digit
   * @throws IllegalArgumentException if the model was trained on data of another kind
   */
  public float[] prepare(BufferedImage image) {
    DatasetSpec data = config.data();
    if (data instanceof dev.mlp.run.image.ImageFolderSpec f) {
      // as the folder's pictures were: resized, grey or colour, [0, 1]
      float[] x = new float[f.size().get(0) * f.size().get(1) * f.channels()];
      dev.mlp.run.image.ImageFolderDatasetFactory.pixels(
          image, f.size().get(0), f.size().get(1), f.channels(), x, 0);
      return x;
    }
    if (inputSize() == MnistImages.SIDE * MnistImages.SIDE) {
      if (data instanceof MnistSpec) {
        return MnistImages.toMnist(image);
      }
      if (data instanceof FashionMnistSpec) {
        return MnistImages.toFashionMnist(image);
      }
    }
    throw new IllegalArgumentException(
        "pictures are prepared for models of the picture data sets mnist and fashion_mnist"
            + " (784 inputs); this one was trained on "
            + data.getClass().getSimpleName().replaceAll("Spec$", "")
            + " with "
            + inputSize()
            + " inputs");
  }

  /** The {@code k} most probable classes, most probable first. */
  public List<Prediction> top(float[] features, int k) {
    return ranked(probabilities(features), k);
  }

  private static List<Prediction> ranked(float[] p, int k) {
    Integer[] order = new Integer[p.length];
    for (int i = 0; i < p.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> p[a] != p[b] ? Float.compare(p[b], p[a]) : Integer.compare(a, b));
    List<Prediction> out = new ArrayList<>();
    for (int i = 0; i < Math.min(k, p.length); i++) {
      out.add(new Prediction(order[i], p[order[i]]));
    }
    return out;
  }

  /**
   * Accuracy, loss, per-class precision/recall/F1 and the confusion matrix of the model on {@code
   * data}, the figures {@code mlp eval} prints.
   */
  public ClassificationMetrics evaluate(Dataset data) {
    if (data.featureSize() != inputSize()) {
      throw new IllegalArgumentException(
          data.name()
              + " has "
              + data.featureSize()
              + " features per sample but the model reads "
              + inputSize());
    }
    return ClassificationMetrics.of(network, data, config.training().evalBatchSize());
  }

  /** {@link #evaluate(Dataset)} of rows and their class labels. */
  public ClassificationMetrics evaluate(float[][] rows, int[] labels) {
    if (rows.length != labels.length) {
      throw new IllegalArgumentException(
          rows.length + " rows but " + labels.length + " labels; one label per row");
    }
    int d = inputSize();
    float[] x = new float[rows.length * d];
    for (int r = 0; r < rows.length; r++) {
      if (rows[r] == null || rows[r].length != d) {
        throw new IllegalArgumentException(
            "row " + r + " does not have the " + d + " features the model reads");
      }
      System.arraycopy(rows[r], 0, x, r * d, d);
    }
    return evaluate(new Dataset("rows", x, labels, d, numClasses()));
  }
}
