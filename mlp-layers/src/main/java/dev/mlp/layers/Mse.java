package dev.mlp.layers;

import dev.mlp.core.nn.Loss;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.tensor.Tensor;

/**
 * Mean squared error against one-hot class targets, averaged over every element as PyTorch's
 * MSELoss: L = Σᵢⱼ (xᵢⱼ − yᵢⱼ)² / (N·C); dL/dx = 2(x − y)/(N·C). Predicts the class of the largest
 * output.
 */
public final class Mse implements Loss {
  private final int classes;
  private Tensor input;
  private Tensor gradInput;
  private int[] labels;
  private Tensor values;
  private double loss = Double.NaN;

  public Mse(int classes) {
    this.classes = classes;
  }

  @Override
  public int inputSize() {
    return classes;
  }

  @Override
  public int outputSize() {
    return classes;
  }

  @Override
  public void setTargets(int[] labels) {
    this.labels = labels;
    this.values = null;
  }

  /** Regression: the targets are the values themselves. */
  @Override
  public void setTargetValues(Tensor values) {
    this.values = values;
    this.labels = null;
  }

  /** The target of output {@code j} of row {@code row}: the value, or 1 at the label's class. */
  private float target(int row, int j) {
    if (values != null) {
      return values.data()[row * classes + j];
    }
    int y = labels[row];
    if (y < 0 || y >= classes) {
      throw new IllegalArgumentException(
          "label " + y + " at row " + row + " is outside [0, " + classes + ")");
    }
    return y == j ? 1f : 0f;
  }

  @Override
  public Tensor forward(Tensor x, Mode mode) {
    input = x;
    if (labels == null && values == null) {
      loss = Double.NaN;
      return x;
    }
    double total = 0;
    float[] v = x.data();
    for (int r = 0; r < x.rows(); r++) {
      for (int j = 0; j < classes; j++) {
        double e = v[r * classes + j] - target(r, j);
        total += e * e;
      }
    }
    loss = x.rows() == 0 ? Double.NaN : total / ((double) x.rows() * classes);
    return x;
  }

  @Override
  public double loss() {
    return loss;
  }

  @Override
  public Tensor output() {
    return input;
  }

  /** Ignores {@code gradOutput}: the loss starts the chain. */
  @Override
  public Tensor backward(Tensor gradOutput) {
    int n = input.rows();
    gradInput = Tensor.reuse(gradInput, n, classes);
    float[] v = input.data();
    float[] dx = gradInput.data();
    float k = 2f / (n * classes);
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < classes; j++) {
        dx[r * classes + j] = k * (v[r * classes + j] - target(r, j));
      }
    }
    return gradInput;
  }

  @Override
  public String typeName() {
    return "mse";
  }

  @Override
  public String toString() {
    return "mse";
  }
}
