package dev.mlp.core.config;

/**
 * A layer without parameters that gives as many values per sample as it receives: activations,
 * dropout, losses. Its {@link #footprint} says so.
 */
public interface WidthPreservingSpec extends LayerSpec {
  @Override
  default Footprint footprint(int inputSize) {
    return new Footprint(0, inputSize);
  }
}
