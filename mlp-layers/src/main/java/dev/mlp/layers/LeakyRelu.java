package dev.mlp.layers;

import dev.mlp.core.nn.Activation;
import dev.mlp.core.nn.OnnxExportable;
import dev.mlp.core.nn.OnnxGraph;
import dev.mlp.core.tensor.Elementwise;
import dev.mlp.core.tensor.Kernels;
import java.util.Map;

/** Leaky ReLU: y = x for x &gt; 0, αx otherwise, element-wise. */
public final class LeakyRelu extends Activation implements OnnxExportable {
  private final float slope;

  public LeakyRelu(int size, double slope) {
    this(size, slope, Kernels.defaults());
  }

  public LeakyRelu(int size, double slope, Kernels kernels) {
    super(size, kernels);
    this.slope = (float) slope;
  }

  @Override
  protected void forward(float[] x, float[] y, int from, int to) {
    Elementwise.leakyRelu(x, y, slope, from, to);
  }

  @Override
  protected void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int to) {
    // dX = dY ⊙ (1 where X > 0, α elsewhere)
    Elementwise.leakyReluBackward(x, dy, dx, slope, from, to);
  }

  @Override
  public String typeName() {
    return "leaky_relu";
  }

  @Override
  public String toString() {
    return "leaky_relu(" + slope + ")";
  }

  @Override
  public String toOnnx(OnnxGraph g, String input) {
    return g.node("LeakyRelu", Map.of("alpha", slope), input);
  }
}
