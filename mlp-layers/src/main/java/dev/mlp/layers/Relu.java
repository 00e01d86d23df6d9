package dev.mlp.layers;

import dev.mlp.core.nn.ElementwiseLayer;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.tensor.Elementwise;
import dev.mlp.core.tensor.Tensor;

/** ReLU: y = max(0, x), element-wise; its width is that of its input. */
public final class Relu extends ElementwiseLayer {
  private Tensor input;
  private Tensor output;
  private Tensor gradInput;

  public Relu(int size) {
    super(size);
  }

  @Override
  public Tensor forward(Tensor x, Mode mode) {
    input = x;
    output = Tensor.reuse(output, x.rows(), size());
    Elementwise.relu(x.data(), output.data(), x.size());
    return output;
  }

  @Override
  public Tensor backward(Tensor dy) {
    // dX = dY ⊙ [X > 0]
    gradInput = Tensor.reuse(gradInput, dy.rows(), size());
    float[] g = dy.data();
    float[] x = input.data();
    float[] dx = gradInput.data();
    for (int i = 0, n = dy.size(); i < n; i++) {
      dx[i] = x[i] > 0f ? g[i] : 0f;
    }
    return gradInput;
  }

  @Override
  public String typeName() {
    return "relu";
  }

  @Override
  public String toString() {
    return "relu";
  }
}
