package dev.mlp.core.config;

/**
 * The configuration of one layer, chosen in YAML by its registered type name. Implementations are
 * small immutable records that validate their fields in their constructor.
 */
public interface LayerSpec {

  /**
   * What a layer of this spec holds for inputs of {@code inputSize} values per sample, known before
   * it is built: the memory a model needs is estimated from it before anything is allocated.
   *
   * @return null when the spec cannot tell (the estimate then counts only the layers before it)
   */
  default Footprint footprint(int inputSize) {
    return null;
  }

  /**
   * @param parameters the trainable numbers of the layer
   * @param outputSize the values per sample it gives
   */
  record Footprint(long parameters, int outputSize) {}
}
