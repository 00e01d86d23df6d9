package dev.mlp.layers;

import dev.mlp.core.config.Field;
import dev.mlp.core.config.InitializerSpec;
import dev.mlp.core.config.LayerSpec;

/**
 * {@code {type: linear, units: 128}}. {@code inputs} may be left out: it is inferred from the
 * previous layer, and checked when given. {@code init} defaults to xavier_uniform, {@code
 * bias_init} to zeros.
 */
public record LinearSpec(
    @Field("output width: units in this layer") Integer units,
    @Field(
            value = "input width; checked against the previous layer when given",
            fallback = "inferred")
        Integer inputs,
    @Field(value = "initializer of the weights", fallback = "xavier_uniform") InitializerSpec init,
    @Field(value = "initializer of the biases", fallback = "zeros") InitializerSpec biasInit)
    implements LayerSpec {
  public static final int MAX_UNITS = 1 << 20;

  public LinearSpec {
    if (units == null) {
      throw new IllegalArgumentException("units is required (a positive integer, e.g. 128)");
    }
    if (units < 1 || units > MAX_UNITS) {
      throw new IllegalArgumentException(
          "units must be an integer in [1, " + MAX_UNITS + "], got " + units);
    }
    if (inputs != null && (inputs < 1 || inputs > MAX_UNITS)) {
      throw new IllegalArgumentException(
          "inputs must be an integer in [1, " + MAX_UNITS + "], got " + inputs);
    }
  }

  @Override
  public Footprint footprint(int inputSize) {
    return new Footprint((long) inputSize * units + units, units);
  }

  public LinearSpec(int units) {
    this(units, null, null, null);
  }
}
