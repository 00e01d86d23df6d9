package dev.mlp.layers;

import dev.mlp.core.nn.Activation;
import dev.mlp.core.nn.OnnxExportable;
import dev.mlp.core.nn.OnnxGraph;
import dev.mlp.core.tensor.Elementwise;
import java.util.Map;

/** ReLU: y = max(0, x), element-wise; its width is that of its input. */
public final class Relu extends Activation implements OnnxExportable {

  public Relu(int size) {
    super(size);
  }

  @Override
  protected void forward(float[] x, float[] y, int n) {
    Elementwise.relu(x, y, n);
  }

  @Override
  protected void backward(float[] x, float[] y, float[] dy, float[] dx, int n) {
    // dX = dY ⊙ [X > 0]
    for (int i = 0; i < n; i++) {
      dx[i] = x[i] > 0f ? dy[i] : 0f;
    }
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
