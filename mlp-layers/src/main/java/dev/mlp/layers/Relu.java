package dev.mlp.layers;

import dev.mlp.core.nn.Activation;
import dev.mlp.core.nn.OnnxExportable;
import dev.mlp.core.nn.OnnxGraph;
import dev.mlp.core.tensor.Elementwise;
import dev.mlp.core.tensor.Kernels;
import java.util.Map;

/** ReLU: y = max(0, x), element-wise; its width is that of its input. */
public final class Relu extends Activation implements OnnxExportable {

  public Relu(int size) {
    super(size);
  }

  public Relu(int size, Kernels kernels) {
    super(size, kernels);
  }

  @Override
  protected void forward(float[] x, float[] y, int from, int to) {
    Elementwise.relu(x, y, from, to);
  }

  @Override
  protected void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int to) {
    // dX = dY ⊙ [X > 0]
    Elementwise.reluBackward(x, dy, dx, from, to);
  }

  @Override
  public String typeName() {
    return "relu";
  }

  @Override
  public String toOnnx(OnnxGraph g, String input) {
    return g.node("Relu", Map.of(), input);
  }
}
