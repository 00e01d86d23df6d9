package dev.mlp.layers;

import dev.mlp.core.nn.ElementwiseLayer;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.tensor.Elementwise;
import dev.mlp.core.tensor.Tensor;

/** σ(z) = 1 / (1 + e^(−z)), element-wise; its width is that of its input. */
public final class Sigmoid extends ElementwiseLayer {
  private Tensor output;
  private Tensor gradInput;

  public Sigmoid(int size) {
    super(size);
  }

  @Override
  public Tensor forward(Tensor z, Mode mode) {
    output = Tensor.reuse(output, z.rows(), size());
    Elementwise.sigmoid(z.data(), output.data(), z.size());
    return output;
  }

  @Override
  public Tensor backward(Tensor dy) {
    // dZ = dA ⊙ σ(Z)(1 − σ(Z)), with σ(Z) cached from forward
    gradInput = Tensor.reuse(gradInput, dy.rows(), size());
    float[] g = dy.data();
    float[] s = output.data();
    float[] dz = gradInput.data();
    for (int i = 0, n = dy.size(); i < n; i++) {
      dz[i] = g[i] * s[i] * (1f - s[i]);
    }
    return gradInput;
  }

  @Override
  public String typeName() {
    return "sigmoid";
  }

  @Override
  public String toString() {
    return "sigmoid";
  }
}
