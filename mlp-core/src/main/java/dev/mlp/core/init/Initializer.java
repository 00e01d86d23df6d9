package dev.mlp.core.init;

import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Tensor;

/** Fills a freshly built parameter; kept apart from layer construction, as PyTorch does. */
public interface Initializer {

  /**
   * @param fanIn inputs feeding each output unit
   * @param fanOut output units fed by each input
   */
  void initialize(Tensor values, int fanIn, int fanOut, Rng rng);
}
