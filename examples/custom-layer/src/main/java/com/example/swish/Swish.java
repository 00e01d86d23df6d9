package com.example.swish;

import dev.mlp.core.nn.Layer;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.OnnxExportable;
import dev.mlp.core.nn.OnnxGraph;
import dev.mlp.core.tensor.Tensor;
import java.util.Map;

/** Swish (Ramachandran et al., 2017): y = x · σ(βx), element-wise. */
public final class Swish implements Layer, OnnxExportable {
  private final int size;
  private final float beta;
  private Tensor input;
  private Tensor gate; // σ(βx), kept for backward
  private Tensor output;
  private Tensor gradInput;

  public Swish(int size, double beta) {
    this.size = size;
    this.beta = (float) beta;
  }

  @Override
  public int inputSize() {
    return size;
  }

  @Override
  public int outputSize() {
    return size;
  }

  @Override
  public Tensor forward(Tensor x, Mode mode) {
    input = x;
    gate = Tensor.reuse(gate, x.rows(), size);
    output = Tensor.reuse(output, x.rows(), size);
    float[] in = x.data();
    float[] s = gate.data();
    float[] y = output.data();
    for (int i = 0, n = x.size(); i < n; i++) {
      s[i] = (float) (1.0 / (1.0 + Math.exp(-beta * in[i])));
      y[i] = in[i] * s[i];
    }
    return output;
  }

  @Override
  public Tensor backward(Tensor dy) {
    // dy/dx = σ(βx) + βx · σ(βx) · (1 − σ(βx))
    gradInput = Tensor.reuse(gradInput, dy.rows(), size);
    float[] g = dy.data();
    float[] in = input.data();
    float[] s = gate.data();
    float[] dx = gradInput.data();
    for (int i = 0, n = dy.size(); i < n; i++) {
      dx[i] = g[i] * (s[i] + beta * in[i] * s[i] * (1f - s[i]));
    }
    return gradInput;
  }

  @Override
  public String typeName() {
    return "swish";
  }

  @Override
  public String toString() {
    return "swish(β=" + beta + ")";
  }

  /** For {@code mlp export --format onnx}: x · Sigmoid(βx), in ONNX's standard operators. */
  @Override
  public String toOnnx(OnnxGraph g, String input) {
    String bx = g.node("Mul", Map.of(), input, g.constant("beta", new float[] {beta}));
    return g.node("Mul", Map.of(), input, g.node("Sigmoid", Map.of(), bx));
  }
}
