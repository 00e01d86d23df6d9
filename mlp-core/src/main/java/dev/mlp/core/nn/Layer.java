package dev.mlp.core.nn;

import dev.mlp.core.tensor.Tensor;
import java.util.List;

/**
 * One step of a feed-forward network with its hand-written backward pass.
 *
 * <p>{@code forward} caches what {@code backward} needs; {@code backward} writes the gradients of
 * this layer's {@link #parameters()} and returns the gradient with respect to its input. The
 * tensors a layer returns are its own reusable buffers: valid until its next call.
 */
public interface Layer {

  /** Feature count this layer expects per sample. */
  int inputSize();

  /** Feature count this layer produces per sample. */
  int outputSize();

  Tensor forward(Tensor input, Mode mode);

  /**
   * Given dL/d(output), writes dL/d(parameters) and returns dL/d(input) (or {@code null} when the
   * input gradient was switched off with {@link #setInputGradientNeeded}).
   */
  Tensor backward(Tensor gradOutput);

  /** Trainable parameters; empty for layers such as Sigmoid. */
  default List<Parameter> parameters() {
    return List.of();
  }

  /**
   * The first layer of a network need not compute the gradient of its input (the data); a layer may
   * use this to skip that work.
   */
  default void setInputGradientNeeded(boolean needed) {}

  /**
   * Multiply-adds per sample of the forward pass (for throughput figures); 0 for layers whose cost
   * is negligible next to the dense products.
   */
  default long multiplyAddsPerSample() {
    return 0;
  }

  /** Short type name as used in configs, e.g. {@code linear}. */
  String typeName();
}
