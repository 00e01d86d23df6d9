package dev.mlp.layers;

import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Tensor;

/** Shared fixtures for the layer tests. */
final class LayerTests {
  private LayerTests() {}

  static Tensor randomInput(int rows, int cols, long seed) {
    Rng rng = new Rng(seed);
    Tensor t = new Tensor(rows, cols);
    for (int i = 0; i < t.size(); i++) {
      t.data()[i] = (float) rng.nextGaussian();
    }
    return t;
  }
}
