package dev.mlp.layers;

import dev.mlp.core.nn.Loss;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.OnnxExportable;
import dev.mlp.core.nn.OnnxGraph;
import dev.mlp.core.tensor.Tensor;
import java.util.Map;

/**
 * Softmax followed by the mean cross-entropy against class labels, fused as in the seed: the
 * gradient with respect to the logits is (P − Y) / N.
 */
public final class SoftmaxCrossEntropy implements Loss, OnnxExportable {
  private final int classes;
  private Tensor probabilities;
  private Tensor inferred;
  private Tensor gradInput;
  private int[] labels;
  private double loss = Double.NaN;

  public SoftmaxCrossEntropy(int classes) {
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

  /**
   * 100 nats: a mean −log p(true class) of 100 means the model gives the truth e^−100 on average —
   * its logits have blown up. Training starts near ln(classes) (2.3 for 10) and a run that learns
   * never comes near; a learning rate of 1000 on the seed passes it within a few steps.
   */
  @Override
  public double divergenceBound() {
    return 100;
  }

  @Override
  public void setTargets(int[] labels) {
    this.labels = labels;
  }

  /** The class probabilities alone, p = softmax(z), in a buffer of their own. */
  @Override
  public Tensor infer(Tensor logits) {
    inferred = Tensor.reuse(inferred, logits.rows(), classes);
    softmax(logits, inferred, null);
    return inferred;
  }

  @Override
  public Tensor forward(Tensor logits, Mode mode) {
    probabilities = Tensor.reuse(probabilities, logits.rows(), classes);
    double total = softmax(logits, probabilities, labels);
    int n = logits.rows();
    loss = labels != null && n > 0 ? total / n : Double.NaN;
    return probabilities;
  }

  /** Writes softmax(z) into {@code probabilities}; returns Σ −log p_y over the rows if labelled. */
  private double softmax(Tensor logits, Tensor probabilities, int[] labels) {
    int n = logits.rows();
    float[] z = logits.data();
    float[] p = probabilities.data();
    double total = 0;
    for (int r = 0; r < n; r++) {
      int base = r * classes;
      // p = exp(z − max z) / Σ exp(z − max z): the max keeps exp from overflowing
      float max = z[base];
      for (int j = 1; j < classes; j++) {
        max = Math.max(max, z[base + j]);
      }
      double sum = 0;
      for (int j = 0; j < classes; j++) {
        float e = (float) Math.exp(z[base + j] - max);
        p[base + j] = e;
        sum += e;
      }
      float inv = (float) (1.0 / sum);
      for (int j = 0; j < classes; j++) {
        p[base + j] *= inv;
      }
      if (labels != null) {
        // −log p_y = log Σ exp(z − max) − (z_y − max): sum ≥ 1, so never log(0)
        total += Math.log(sum) - (z[base + label(r)] - max);
      }
    }
    return total;
  }

  private int label(int row) {
    int y = labels[row];
    if (y < 0 || y >= classes) {
      throw new IllegalArgumentException(
          "label " + y + " at row " + row + " is outside [0, " + classes + ")");
    }
    return y;
  }

  @Override
  public double loss() {
    return loss;
  }

  @Override
  public Tensor output() {
    return probabilities;
  }

  /** Ignores {@code gradOutput}: the loss starts the chain. dZ = (P − Y) / N. */
  @Override
  public Tensor backward(Tensor gradOutput) {
    int n = probabilities.rows();
    gradInput = Tensor.reuse(gradInput, n, classes);
    float[] p = probabilities.data();
    float[] dz = gradInput.data();
    float invN = 1f / n;
    for (int r = 0; r < n; r++) {
      int base = r * classes;
      for (int j = 0; j < classes; j++) {
        dz[base + j] = p[base + j] * invN;
      }
      dz[base + label(r)] -= invN;
    }
    return gradInput;
  }

  @Override
  public String typeName() {
    return "softmax_cross_entropy";
  }

  @Override
  public String toString() {
    return "softmax_cross_entropy";
  }

  @Override
  public String toOnnx(OnnxGraph g, String input) {
    return g.node("Softmax", Map.of("axis", 1L), input); // the probabilities infer() gives
  }
}
