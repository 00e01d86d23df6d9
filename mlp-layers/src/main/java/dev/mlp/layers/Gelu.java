package dev.mlp.layers;

import dev.mlp.core.nn.ElementwiseLayer;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.tensor.Elementwise;
import dev.mlp.core.tensor.Tensor;

/**
 * GELU (Hendrycks &amp; Gimpel 2016) in its tanh form, as GPT-2 and PyTorch's approximate="tanh": y
 * = ½x(1 + tanh(u)), u = √(2/π)(x + 0.044715x³).
 */
public final class Gelu extends ElementwiseLayer {
  private static final float K = (float) Math.sqrt(2 / Math.PI);
  private static final float C = 0.044715f;
  private Tensor input;
  private Tensor tanh; // tanh(u), kept for backward
  private Tensor output;
  private Tensor gradInput;

  public Gelu(int size) {
    super(size);
  }

  @Override
  public Tensor forward(Tensor x, Mode mode) {
    input = x;
    int n = x.size();
    tanh = Tensor.reuse(tanh, x.rows(), size());
    output = Tensor.reuse(output, x.rows(), size());
    float[] in = x.data();
    float[] t = tanh.data();
    float[] y = output.data();
    for (int i = 0; i < n; i++) {
      t[i] = K * (in[i] + C * in[i] * in[i] * in[i]); // u, made tanh(u) below
    }
    Elementwise.tanh(t, t, n);
    for (int i = 0; i < n; i++) {
      y[i] = 0.5f * in[i] * (1f + t[i]);
    }
    return output;
  }

  @Override
  public Tensor backward(Tensor dy) {
    // dy/dx = ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²), t = tanh(u)
    gradInput = Tensor.reuse(gradInput, dy.rows(), size());
    float[] g = dy.data();
    float[] x = input.data();
    float[] t = tanh.data();
    float[] dx = gradInput.data();
    for (int i = 0, n = dy.size(); i < n; i++) {
      float du = K * (1f + 3f * C * x[i] * x[i]);
      dx[i] = g[i] * (0.5f * (1f + t[i]) + 0.5f * x[i] * (1f - t[i] * t[i]) * du);
    }
    return gradInput;
  }

  @Override
  public String typeName() {
    return "gelu";
  }

  @Override
  public String toString() {
    return "gelu";
  }
}
