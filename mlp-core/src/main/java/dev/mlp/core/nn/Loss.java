package dev.mlp.core.nn;

import dev.mlp.core.tensor.Tensor;

/**
 * The last layer of a network: given targets, it turns its forward output into a scalar loss and
 * starts the backward chain.
 */
public interface Loss extends Layer {

  /** Class labels of the samples in the next forward pass, one per row. */
  void setTargets(int[] labels);

  /**
   * Target values of the samples in the next forward pass, {@link #outputSize()} per row (a
   * regression); replaces any labels set before. A loss that learns only class labels refuses.
   */
  default void setTargetValues(Tensor values) {
    throw new UnsupportedOperationException(
        typeName()
            + " learns class labels, not target values; a regression needs a loss such as mse");
  }

  /** Mean loss over the rows of the last forward pass in TRAIN or EVAL mode, given the targets. */
  double loss();

  /** The rows of the last forward output: probabilities, or whatever the loss predicts from. */
  Tensor output();

  /**
   * A batch loss above this means training has diverged, even while the numbers stay finite (a
   * numerically stable loss keeps them finite long after the weights have blown up). Infinity, the
   * default, leaves only NaN and infinite losses as divergence.
   */
  default double divergenceBound() {
    return Double.POSITIVE_INFINITY;
  }

  /**
   * The model's answer for a batch of the previous layer's outputs, without targets and without
   * computing a loss: class probabilities for a classifier, the values themselves for a regressor
   * (the default). Returns this layer's own buffer (or {@code input}), valid until its next call.
   */
  default Tensor infer(Tensor input) {
    return input;
  }

  /** Starts the backward chain: dL/d(input) of the mean loss. */
  default Tensor backward() {
    return backward(null);
  }
}
