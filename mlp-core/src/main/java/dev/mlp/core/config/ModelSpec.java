package dev.mlp.core.config;

import java.util.List;

/**
 * The network: an optional input width (inferred from the data when absent) and the layers in
 * order, the last one a loss.
 */
public record ModelSpec(Integer input, List<LayerSpec> layers) {
  public ModelSpec {
    if (input != null && input < 1) {
      throw new IllegalArgumentException("input must be a positive integer, got " + input);
    }
    if (layers == null || layers.isEmpty()) {
      throw new IllegalArgumentException("layers must list at least one layer, ending with a loss");
    }
    for (int i = 0; i < layers.size(); i++) { // not indexOf(null): List.of refuses the question
      if (layers.get(i) == null) {
        throw new IllegalArgumentException(
            "layers[" + i + "] is empty; each layer is {type: NAME, ...}");
      }
    }
    layers = List.copyOf(layers);
  }
}
