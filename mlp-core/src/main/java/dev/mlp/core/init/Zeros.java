package dev.mlp.core.init;

import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Tensor;

/** All zeros: the seed's biases. */
public final class Zeros implements Initializer {
  @Override
  public void initialize(Tensor values, int fanIn, int fanOut, Rng rng) {
    values.fill(0f);
  }

  @Override
  public String toString() {
    return "zeros";
  }
}
