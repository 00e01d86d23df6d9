package dev.mlp.core.init;

import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Tensor;

/** Glorot &amp; Bengio (2010): U(−a, a) with a = gain · √(6 / (fan_in + fan_out)), as the seed. */
public final class XavierUniform implements Initializer {
  private final double gain;

  public XavierUniform(double gain) {
    this.gain = gain;
  }

  @Override
  public void initialize(Tensor values, int fanIn, int fanOut, Rng rng) {
    double bound = gain * Math.sqrt(6.0 / (fanIn + fanOut));
    float[] data = values.data();
    for (int i = 0, n = values.size(); i < n; i++) {
      data[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
    }
  }

  @Override
  public String toString() {
    return "xavier_uniform(gain=" + gain + ")";
  }
}
