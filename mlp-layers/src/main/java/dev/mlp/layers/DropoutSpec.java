package dev.mlp.layers;

import dev.mlp.core.config.Field;
import dev.mlp.core.config.WidthPreservingSpec;

/** {@code {type: dropout, rate: 0.5}}. */
public record DropoutSpec(
    @Field(value = "fraction of units dropped in training", fallback = "0.5") Double rate)
    implements WidthPreservingSpec {
  public DropoutSpec {
    rate = rate == null ? 0.5 : rate;
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("rate must be in [0, 1), got " + rate);
    }
  }
}
