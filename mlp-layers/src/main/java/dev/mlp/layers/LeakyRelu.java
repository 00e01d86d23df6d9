package dev.mlp.layers;

import dev.mlp.core.nn.ElementwiseLayer;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.tensor.Tensor;

/** Leaky ReLU: y = x for x &gt; 0, αx otherwise, element-wise. */
public final class LeakyRelu extends ElementwiseLayer {
  private final float slope;
  private Tensor input;
  private Tensor output;
  private Tensor gradInput;

  public LeakyRelu(int size, double slope) {
    super(size);
    this.slope = (float) slope;
  }

  @Override
  public Tensor forward(Tensor x, Mode mode) {
    input = x;
    output = Tensor.reuse(output, x.rows(), size());
    float[] in = x.data();
    float[] y = output.data();
    for (int i = 0, n = x.size(); i < n; i++) {
      y[i] = in[i] > 0f ? in[i] : slope * in[i];
    }
    return output;
  }

  @Override
  public Tensor backward(Tensor dy) {
    // dX = dY ⊙ (1 where X > 0, α elsewhere)
    gradInput = Tensor.reuse(gradInput, dy.rows(), size());
    float[] g = dy.data();
    float[] x = input.data();
    float[] dx = gradInput.data();
    for (int i = 0, n = dy.size(); i < n; i++) {
      dx[i] = x[i] > 0f ? g[i] : slope * g[i];
    }
    return gradInput;
  }

  @Override
  public String typeName() {
    return "leaky_relu";
  }

  @Override
  public String toString() {
    return "leaky_relu(" + slope + ")";
  }
}
