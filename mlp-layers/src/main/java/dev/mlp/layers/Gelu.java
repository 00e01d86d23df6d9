package dev.mlp.layers;

import dev.mlp.core.nn.Activation;
import dev.mlp.core.nn.OnnxExportable;
import dev.mlp.core.nn.OnnxGraph;
import dev.mlp.core.tensor.Elementwise;
import dev.mlp.core.tensor.Kernels;
import java.util.Map;

/**
 * GELU (Hendrycks &amp; Gimpel 2016) in its tanh form, as GPT-2 and PyTorch's approximate="tanh": y
 * = ½x(1 + tanh(u)), u = √(2/π)(x + 0.044715x³).
 */
public final class Gelu extends Activation implements OnnxExportable {
  private static final float K = (float) Math.sqrt(2 / Math.PI);
  private static final float C = 0.044715f;
  private float[] tanh = new float[0]; // tanh(u), kept for backward; grows to the largest batch

  public Gelu(int size) {
    super(size);
  }

  public Gelu(int size, Kernels kernels) {
    super(size, kernels);
  }

  @Override
  protected void prepare(int n) {
    if (tanh.length < n) {
      tanh = new float[n];
    }
  }

  @Override
  protected void forward(float[] x, float[] y, int from, int to) {
    float[] t = tanh;
    for (int i = from; i < to; i++) {
      t[i] = K * (x[i] + C * x[i] * x[i] * x[i]); // u, made tanh(u) below
    }
    Elementwise.tanh(t, t, from, to);
    for (int i = from; i < to; i++) {
      y[i] = 0.5f * x[i] * (1f + t[i]);
    }
  }

  @Override
  protected void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int to) {
    // dy/dx = ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²), t = tanh(u)
    float[] t = tanh;
    for (int i = from; i < to; i++) {
      float du = K * (1f + 3f * C * x[i] * x[i]);
      dx[i] = dy[i] * (0.5f * (1f + t[i]) + 0.5f * x[i] * (1f - t[i] * t[i]) * du);
    }
  }

  @Override
  public String typeName() {
    return "gelu";
  }

  @Override
  public String toOnnx(OnnxGraph g, String input) {
    // opset 17 has no Gelu (it came in 20): ½x(1 + tanh(√(2/π)(x + 0.044715x³))), node by node
    String x3 = g.node("Mul", Map.of(), g.node("Mul", Map.of(), input, input), input);
    String inner =
        g.node(
            "Add", Map.of(), input, g.node("Mul", Map.of(), x3, g.constant("c", new float[] {C})));
    String t =
        g.node("Tanh", Map.of(), g.node("Mul", Map.of(), inner, g.constant("k", new float[] {K})));
    String half = g.node("Mul", Map.of(), input, g.constant("half", new float[] {0.5f}));
    return g.node(
        "Mul", Map.of(), half, g.node("Add", Map.of(), t, g.constant("one", new float[] {1f})));
  }
}
