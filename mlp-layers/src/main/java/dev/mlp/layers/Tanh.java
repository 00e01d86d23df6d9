package dev.mlp.layers;

import dev.mlp.core.nn.Activation;
import dev.mlp.core.nn.OnnxExportable;
import dev.mlp.core.nn.OnnxGraph;
import dev.mlp.core.tensor.Elementwise;
import dev.mlp.core.tensor.Kernels;
import java.util.Map;

/** tanh, element-wise; its width is that of its input. */
public final class Tanh extends Activation implements OnnxExportable {

  public Tanh(int size) {
    super(size);
  }

  public Tanh(int size, Kernels kernels) {
    super(size, kernels);
  }

  @Override
  protected void forward(float[] x, float[] y, int from, int to) {
    Elementwise.tanh(x, y, from, to);
  }

  @Override
  protected void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int to) {
    // dX = dY ⊙ (1 − tanh²(X)), with tanh(X) = Y from forward
    for (int i = from; i < to; i++) {
      dx[i] = dy[i] * (1f - y[i] * y[i]);
    }
  }

  @Override
  public String typeName() {
    return "tanh";
  }

  @Override
  public String toOnnx(OnnxGraph g, String input) {
    return g.node("Tanh", Map.of(), input);
  }
}
