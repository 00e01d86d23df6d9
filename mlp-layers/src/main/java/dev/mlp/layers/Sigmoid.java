package dev.mlp.layers;

import dev.mlp.core.nn.Activation;
import dev.mlp.core.nn.OnnxExportable;
import dev.mlp.core.nn.OnnxGraph;
import dev.mlp.core.tensor.Elementwise;
import dev.mlp.core.tensor.Kernels;
import java.util.Map;

/** σ(x) = 1 / (1 + e^(−x)), element-wise; its width is that of its input. */
public final class Sigmoid extends Activation implements OnnxExportable {

  public Sigmoid(int size) {
    super(size);
  }

  public Sigmoid(int size, Kernels kernels) {
    super(size, kernels);
  }

  @Override
  protected void forward(float[] x, float[] y, int from, int to) {
    Elementwise.sigmoid(x, y, from, to);
  }

  @Override
  protected void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int to) {
    // dX = dY ⊙ σ(X)(1 − σ(X)), with σ(X) = Y from forward
    for (int i = from; i < to; i++) {
      dx[i] = dy[i] * y[i] * (1f - y[i]);
    }
  }

  @Override
  public String typeName() {
    return "sigmoid";
  }

  @Override
  public String toOnnx(OnnxGraph g, String input) {
    return g.node("Sigmoid", Map.of(), input);
  }
}
