package dev.mlp.layers;

import dev.mlp.core.nn.ElementwiseLayer;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.tensor.Elementwise;
import dev.mlp.core.tensor.Tensor;

/** tanh, element-wise; its width is that of its input. */
public final class Tanh extends ElementwiseLayer {
  private Tensor output;
  private Tensor gradInput;

  public Tanh(int size) {
    super(size);
  }

  @Override
  public Tensor forward(Tensor z, Mode mode) {
    output = Tensor.reuse(output, z.rows(), size());
    Elementwise.tanh(z.data(), output.data(), z.size());
    return output;
  }

  @Override
  public Tensor backward(Tensor dy) {
    // dZ = dA ⊙ (1 − tanh²(Z)), with tanh(Z) cached from forward
    gradInput = Tensor.reuse(gradInput, dy.rows(), size());
    float[] g = dy.data();
    float[] t = output.data();
    float[] dz = gradInput.data();
    for (int i = 0, n = dy.size(); i < n; i++) {
      dz[i] = g[i] * (1f - t[i] * t[i]);
    }
    return gradInput;
  }

  @Override
  public String typeName() {
    return "tanh";
  }

  @Override
  public String toString() {
    return "tanh";
  }
}
