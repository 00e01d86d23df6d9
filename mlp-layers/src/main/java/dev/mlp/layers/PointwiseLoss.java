package dev.mlp.layers;

import dev.mlp.core.nn.Loss;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.OnnxExportable;
import dev.mlp.core.nn.OnnxGraph;
import dev.mlp.core.tensor.Tensor;

/**
 * A loss that is the mean over every element of a function of its error, as PyTorch's losses with
 * {@code reduction='mean'}: L = Σᵢⱼ f(xᵢⱼ − yᵢⱼ) / (N·C), dL/dxᵢⱼ = f′(xᵢⱼ − yᵢⱼ) / (N·C). The
 * targets are values (a regression) or one-hot class labels; it predicts from its input as it is
 * (the class of the largest output).
 */
abstract class PointwiseLoss implements Loss, OnnxExportable {
  private final int classes;
  private Tensor input;
  private Tensor gradInput;
  private int[] labels;
  private Tensor values;
  private double loss = Double.NaN;

  PointwiseLoss(int classes) {
    this.classes = classes;
  }

  /** f(e): the loss of one element whose error is {@code e}. */
  abstract double value(double e);

  /** f′(e). */
  abstract double slope(double e);

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
        total += value(v[r * classes + j] - target(r, j));
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
    double k = 1.0 / ((double) n * classes);
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < classes; j++) {
        dx[r * classes + j] = (float) (k * slope(v[r * classes + j] - target(r, j)));
      }
    }
    return gradInput;
  }

  @Override
  public String toOnnx(OnnxGraph g, String input) {
    return input; // it predicts from its input as it is (values; a class by the largest)
  }
}
