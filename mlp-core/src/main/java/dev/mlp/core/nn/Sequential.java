package dev.mlp.core.nn;

import dev.mlp.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Layers applied one after another; the last one is the {@link Loss}. */
public final class Sequential {
  private final List<Layer> layers;
  private final Loss loss;
  private final List<Parameter> parameters;

  public Sequential(List<Layer> layers) {
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
    this.loss = (Loss) layers.get(layers.size() - 1);
    List<Parameter> params = new ArrayList<>();
    for (Layer layer : layers) {
      params.addAll(layer.parameters());
    }
    this.parameters = Collections.unmodifiableList(params);
    this.layers.get(0).setInputGradientNeeded(false);
  }

  public List<Layer> layers() {
    return layers;
  }

  public Loss loss() {
    return loss;
  }

  public int inputSize() {
    return layers.get(0).inputSize();
  }

  /** Runs every layer, the loss included; returns the loss layer's output. */
  public Tensor forward(Tensor input, Mode mode) {
    Tensor x = input;
    for (int i = 0, n = layers.size(); i < n; i++) { // indexed: no iterator per step
      x = layers.get(i).forward(x, mode);
    }
    return x;
  }

  /**
   * Inference: every layer but the loss in evaluation mode, then the loss's {@link Loss#infer}
   * answer (probabilities or values). No targets are needed and no loss is computed.
   */
  public Tensor infer(Tensor input) {
    Tensor x = input;
    for (int i = 0, n = layers.size() - 1; i < n; i++) {
      x = layers.get(i).forward(x, Mode.EVAL);
    }
    return loss.infer(x);
  }

  /** Backward through every layer, from the loss; fills every parameter's gradient. */
  public void backward() {
    Tensor g = loss.backward();
    for (int i = layers.size() - 2; i >= 0; i--) {
      g = layers.get(i).backward(g);
    }
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
