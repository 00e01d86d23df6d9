package dev.mlp.run;

import dev.mlp.core.config.ExperimentConfig;
import dev.mlp.core.config.SpecException;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.registry.ModelBuilder;
import dev.mlp.core.registry.Registry;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.tensor.Tensor;
import dev.mlp.run.checkpoint.Checkpoint;
import dev.mlp.run.config.ConfigException;
import dev.mlp.run.config.ConfigLoader;
import dev.mlp.run.image.MnistImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A trained model, loaded from a checkpoint, for use from Java:
 *
 * <pre>{@code
 * Model model = Model.load(Path.of("runs/mnist-2layer-20261127-233000/checkpoints/last.safetensors"));
 * Model.Prediction p = model.predict(pixels); // 784 floats in [0, 1], white digit on black
 * Model.Prediction q = model.predict(ImageIO.read(new File("digit.png"))); // any size, any polarity
 * System.out.println(p.label() + " " + p.probability());
 * }</pre>
 *
 * The network is rebuilt from the config the checkpoint carries, with the layer types of the
 * modules on the class path and of the plugin jars in {@code $MLP_PLUGINS}. Single-threaded; one
 * {@code Model} serves one thread at a time.
 */
public final class Model {
  private final Sequential network;
  private final Checkpoint checkpoint;
  private final ExperimentConfig config;
  private Tensor input;

  private Model(Sequential network, Checkpoint checkpoint, ExperimentConfig config) {
    this.network = network;
    this.checkpoint = checkpoint;
    this.config = config;
  }

  /** A class and how probable the model thinks it is. */
  public record Prediction(int label, float probability) {}

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
   * Builds the network {@code cfg} describes (for {@code mlp eval --config}) and loads {@code
   * checkpoint}'s weights into it; a checkpoint that does not fit is refused by tensor name.
   */
  public static Model load(Checkpoint checkpoint, ExperimentConfig cfg, Registry registry)
      throws IOException, ConfigException {
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
    return new Model(net, checkpoint, cfg);
  }

  /** The network, in evaluation mode whenever this class runs it. */
  public Sequential network() {
    return network;
  }

  public Checkpoint checkpoint() {
    return checkpoint;
  }

  public ExperimentConfig config() {
    return config;
  }

  public int inputSize() {
    return network.inputSize();
  }

  public int numClasses() {
    return network.loss().outputSize();
  }

  /** The model's output for one sample: class probabilities for a softmax model. */
  public float[] probabilities(float[] features) {
    if (features.length != inputSize()) {
      throw new IllegalArgumentException(
          "the model reads " + inputSize() + " features per sample, got " + features.length);
    }
    input = Tensor.reuse(input, 1, features.length);
    System.arraycopy(features, 0, input.data(), 0, features.length);
    network.loss().setTargets(null);
    Tensor out = network.forward(input, Mode.EVAL);
    return Arrays.copyOf(out.data(), numClasses());
  }

  /** The most probable class (the first on ties, as accuracy counts it). */
  public Prediction predict(float[] features) {
    return top(features, 1).get(0);
  }

  /**
   * The most probable class of a picture of any size, prepared as MNIST was ({@link
   * MnistImages#toMnist}: grey, white on black, fitted into 20×20, centred in 28×28).
   */
  public Prediction predict(BufferedImage image) {
    return predict(MnistImages.toMnist(image));
  }

  /** The {@code k} most probable classes of a picture, as {@link #predict(BufferedImage)}. */
  public List<Prediction> top(BufferedImage image, int k) {
    return top(MnistImages.toMnist(image), k);
  }

  /** The {@code k} most probable classes, most probable first. */
  public List<Prediction> top(float[] features, int k) {
    float[] p = probabilities(features);
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
}
