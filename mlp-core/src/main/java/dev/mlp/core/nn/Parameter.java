package dev.mlp.core.nn;

import dev.mlp.core.tensor.Tensor;

/** A trainable tensor and the gradient of the loss with respect to it, of the same shape. */
public final class Parameter {
  private final String name;
  private final Tensor value;
  private final Tensor grad;

  public Parameter(String name, Tensor value) {
    this.name = name;
    this.value = value;
    this.grad = new Tensor(value.rows(), value.cols());
  }

  /** Short name within its layer, e.g. {@code weight} or {@code bias}. */
  public String name() {
    return name;
  }

  public Tensor value() {
    return value;
  }

  /** Written (not accumulated) by the owning layer's backward pass. */
  public Tensor grad() {
    return grad;
  }

  public int size() {
    return value.size();
  }

  @Override
  public String toString() {
    return name + value.shape();
  }
}
