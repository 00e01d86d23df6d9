package dev.mlp.core.init;

import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Tensor;

/** Every value the same. */
public final class Constant implements Initializer {
  private final float value;

  public Constant(double value) {
    this.value = (float) value;
  }

  @Override
  public void initialize(Tensor values, int fanIn, int fanOut, Rng rng) {
    values.fill(value);
  }

  @Override
  public String toString() {
    return "constant(" + value + ")";
  }
}
