package dev.mlp.layers;

import dev.mlp.core.nn.ElementwiseLayer;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.OnnxExportable;
import dev.mlp.core.nn.OnnxGraph;
import dev.mlp.core.nn.Stochastic;
import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Tensor;

/**
 * Inverted dropout: in training each unit is kept with probability 1 − p and scaled by 1/(1 − p);
 * in evaluation it is the identity. The masks come from the layer's own seeded stream, so a run
 * repeats exactly (whatever the thread count: the draw is sequential).
 */
public final class Dropout extends ElementwiseLayer implements Stochastic, OnnxExportable {
  private final float rate;
  private final float scale;
  private final Rng rng;
  private boolean hold;
  private Tensor mask; // 0 or 1/(1 − p) per element
  private Tensor output;
  private Tensor gradInput;

  public Dropout(int size, double rate, Rng rng) {
    super(size);
    this.rate = (float) rate;
    this.scale = (float) (1 / (1 - rate));
    this.rng = rng;
  }

  @Override
  public Tensor forward(Tensor x, Mode mode) {
    if (mode == Mode.EVAL || rate == 0f) {
      return x;
    }
    int n = x.size();
    if (!hold || mask == null || mask.rows() != x.rows()) {
      mask = Tensor.reuse(mask, x.rows(), size());
      float[] m = mask.data();
      for (int i = 0; i < n; i++) {
        m[i] = rng.nextFloat() < rate ? 0f : scale;
      }
    }
    output = Tensor.reuse(output, x.rows(), size());
    float[] in = x.data();
    float[] m = mask.data();
    float[] y = output.data();
    for (int i = 0; i < n; i++) {
      y[i] = in[i] * m[i];
    }
    return output;
  }

  @Override
  public Tensor backward(Tensor dy) {
    if (rate == 0f) {
      return dy;
    }
    // dX = dY ⊙ mask
    gradInput = Tensor.reuse(gradInput, dy.rows(), size());
    float[] g = dy.data();
    float[] m = mask.data();
    float[] dx = gradInput.data();
    for (int i = 0, n = dy.size(); i < n; i++) {
      dx[i] = g[i] * m[i];
    }
    return gradInput;
  }

  @Override
  public void holdRandomness(boolean hold) {
    this.hold = hold;
  }

  @Override
  public long randomState() {
    return rng.state();
  }

  @Override
  public void setRandomState(long state) {
    rng.setState(state);
  }

  @Override
  public String typeName() {
    return "dropout";
  }

  @Override
  public String toString() {
    return "dropout(" + rate + ")";
  }

  @Override
  public String toOnnx(OnnxGraph g, String input) {
    return input; // the identity at inference
  }
}
