package dev.mlp.core.nn;

import dev.mlp.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Layers applied one after another; the last one is the {@link Loss}. An exception a layer throws
 * in {@link #forward} or {@link #backward} comes out as a {@link LayerFailedException} naming the
 * layer by its {@link LayerOrigin}.
 */
public final class Sequential {
  private final List<Layer> layers;
  private final List<LayerOrigin> origins;
  private final Loss loss;
  private final List<Parameter> parameters;

  /** Layers named in errors by their index and type, e.g. {@code layers[1] sigmoid}. */
  public Sequential(List<Layer> layers) {
    this(layers, defaultOrigins(layers));
  }

  /**
   * Layers named in errors by their origins (one per layer): the config path, the type and the
   * plugin that supplied each, as {@code ModelBuilder} knows them.
   */
  public Sequential(List<Layer> layers, List<LayerOrigin> origins) {
    if (origins.size() != layers.size()) {
      throw new IllegalArgumentException(
          origins.size() + " origins for " + layers.size() + " layers");
    }
    if (layers.isEmpty() || !(layers.get(layers.size() - 1) instanceof Loss)) {
      throw new IllegalArgumentException("a model must end with a loss layer");
    }
    for (int i = 1; i < layers.size(); i++) {
      Layer prev = layers.get(i - 1);
      Layer next = layers.get(i);
      if (prev.outputSize() != next.inputSize()) {
        throw new IllegalArgumentException(
            "layer "
                + i
                + " ("
                + next.typeName()
                + ") expects "
                + next.inputSize()
                + " inputs but layer "
                + (i - 1)
                + " ("
                + prev.typeName()
                + ") gives "
                + prev.outputSize());
      }
    }
    this.layers = List.copyOf(layers);
    this.origins = List.copyOf(origins);
    this.loss = (Loss) layers.get(layers.size() - 1);
    List<Parameter> params = new ArrayList<>();
    for (Layer layer : layers) {
      params.addAll(layer.parameters());
    }
    this.parameters = Collections.unmodifiableList(params);
    this.layers.get(0).setInputGradientNeeded(false);
  }

  private static List<LayerOrigin> defaultOrigins(List<Layer> layers) {
    List<LayerOrigin> origins = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      origins.add(new LayerOrigin("layers[" + i + "]", layers.get(i).typeName(), null));
    }
    return origins;
  }

  public List<Layer> layers() {
    return layers;
  }

  /** Where each layer came from, in the order of {@link #layers()}. */
  public List<LayerOrigin> origins() {
    return origins;
  }

  public Loss loss() {
    return loss;
  }

  public int inputSize() {
    return layers.get(0).inputSize();
  }

  /**
   * Runs every layer, the loss included; returns the loss layer's output.
   *
   * @throws LayerFailedException when a layer throws, naming it
   */
  public Tensor forward(Tensor input, Mode mode) {
    Tensor x = input;
    int i = 0;
    try { // around the loop, not per layer: costs nothing until something is thrown
      for (int n = layers.size(); i < n; i++) { // indexed: no iterator per step
        x = layers.get(i).forward(x, mode);
      }
    } catch (RuntimeException | LinkageError e) {
      throw failed(i, "in forward", e);
    }
    return x;
  }

  /**
   * Inference: every layer but the loss in evaluation mode, then the loss's {@link Loss#infer}
   * answer (probabilities or values). No targets are needed and no loss is computed.
   *
   * @throws LayerFailedException when a layer throws, naming it
   */
  public Tensor infer(Tensor input) {
    Tensor x = input;
    int i = 0;
    try {
      for (int n = layers.size() - 1; i < n; i++) {
        x = layers.get(i).forward(x, Mode.EVAL);
      }
      return loss.infer(x);
    } catch (RuntimeException | LinkageError e) {
      throw failed(i, "in inference", e);
    }
  }

  /**
   * Backward through every layer, from the loss; fills every parameter's gradient.
   *
   * @throws LayerFailedException when a layer throws, naming it
   */
  public void backward() {
    int i = layers.size() - 1;
    try {
      Tensor g = loss.backward();
      for (i--; i >= 0; i--) {
        g = layers.get(i).backward(g);
      }
    } catch (RuntimeException | LinkageError e) {
      throw failed(i, "in backward", e);
    }
  }

  /**
   * A layer's exception, naming the layer. A LinkageError is caught too: from a plugin it means the
   * jar was compiled against another mlp (a method or class it needs is missing).
   */
  private RuntimeException failed(int i, String during, Throwable e) {
    if (e instanceof LayerFailedException f) {
      return f; // already named (a model inside a layer)
    }
    return new LayerFailedException(origins.get(i), during, e);
  }

  public List<Parameter> parameters() {
    return parameters;
  }

  public long parameterCount() {
    long n = 0;
    for (Parameter p : parameters) {
      n += p.size();
    }
    return n;
  }

  /**
   * Floating-point operations per sample of one training step: forward, the weight gradients and
   * the input gradients of every layer but the first (which are not computed), 2 per multiply-add.
   */
  public long trainingFlopsPerSample() {
    long flops = 0;
    for (int i = 0; i < layers.size(); i++) {
      long mads = layers.get(i).multiplyAddsPerSample();
      flops += 2 * mads * (i == 0 ? 2 : 3);
    }
    return flops;
  }

  /** Floating-point operations per sample of inference (the forward pass), 2 per multiply-add. */
  public long inferenceFlopsPerSample() {
    long flops = 0;
    for (Layer layer : layers) {
      flops += 2 * layer.multiplyAddsPerSample();
    }
    return flops;
  }

  /** A model summary: one line per layer with its output width and parameter count. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%-4s %-24s %10s %12s%n", "#", "layer", "output", "params"));
    sb.append(String.format("%-4s %-24s %10s %12s%n", "", "input", "[N, " + inputSize() + "]", ""));
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      long count = 0;
      for (Parameter p : layer.parameters()) {
        count += p.size();
      }
      sb.append(
          String.format(
              "%-4d %-24s %10s %,12d%n",
              i, layer.toString(), "[N, " + layer.outputSize() + "]", count));
    }
    sb.append(String.format("total parameters: %,d", parameterCount()));
    return sb.toString();
  }
}
