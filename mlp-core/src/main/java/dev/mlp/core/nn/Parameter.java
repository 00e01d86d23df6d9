package dev.mlp.core.nn;

import dev.mlp.core.tensor.Tensor;
import java.util.Arrays;

/**
 * A trainable tensor, the gradient of the loss with respect to it (same size), and its declared
 * shape.
 *
 * <p>The values live in a {@link Tensor} (two dimensions, row-major) whatever the declared shape: a
 * vector of D is a tensor [1, D], so it lines up with the columns of a batch. The declared shape is
 * what a checkpoint records and checks under the key {@code layers.<index>.<name>}: {@link #vector}
 * declares [D], {@link #matrix} and {@link #Parameter(String, Tensor)} [rows, cols].
 */
public final class Parameter {
  private final String name;
  private final Tensor value;
  private final Tensor grad;
  private final int[] shape;

  /** A matrix: declared [rows, cols] of {@code value}. */
  public Parameter(String name, Tensor value) {
    this(name, value, value.rows(), value.cols());
  }

  /**
   * {@code value} holding the elements of a tensor of {@code shape} in row-major order.
   *
   * @throws IllegalArgumentException when the name is not an identifier, a dimension is below 1, or
   *     the shape does not hold exactly {@code value.size()} elements
   */
  public Parameter(String name, Tensor value, int... shape) {
    if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException(
          "parameter name '"
              + name
              + "' must be an identifier ([A-Za-z_][A-Za-z0-9_]*): it becomes the checkpoint key"
              + " layers.<index>.<name>");
    }
    long elements = 1;
    for (int d : shape) {
      if (d < 1) {
        throw new IllegalArgumentException(
            "parameter " + name + ": shape " + Arrays.toString(shape) + " has a dimension below 1");
      }
      elements *= d;
    }
    if (shape.length == 0 || elements != value.size()) {
      throw new IllegalArgumentException(
          "parameter "
              + name
              + ": shape "
              + Arrays.toString(shape)
              + " does not hold the "
              + value.size()
              + " elements of its tensor "
              + value.shape());
    }
    this.name = name;
    this.value = value;
    this.grad = new Tensor(value.rows(), value.cols());
    this.shape = shape.clone();
  }

  /** A vector of {@code size} zeros, declared [size] (held as one row, [1, size]). */
  public static Parameter vector(String name, int size) {
    return new Parameter(name, new Tensor(1, size), size);
  }

  /** A matrix of zeros, declared [rows, cols]. */
  public static Parameter matrix(String name, int rows, int cols) {
    return new Parameter(name, new Tensor(rows, cols), rows, cols);
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

  /** The declared shape, as a checkpoint records it: e.g. [out] for a bias, [out, in] a weight. */
  public int[] shape() {
    return shape.clone();
  }

  public int size() {
    return value.size();
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape);
  }
}
