package dev.mlp.layers;

import dev.mlp.core.config.Field;
import dev.mlp.core.config.WidthPreservingSpec;

/** {@code {type: huber, delta: 1.0}}: the Huber loss, squared within delta, linear beyond. */
public record HuberSpec(
    @Field(
            value = "where the loss turns from squared to linear, in the target's unit",
            fallback = "1.0")
        Double delta)
    implements WidthPreservingSpec {
  public HuberSpec {
    delta = delta == null ? 1.0 : delta;
    if (!(delta > 0) || Double.isInfinite(delta)) {
      throw new IllegalArgumentException("delta must be a positive number, got " + delta);
    }
  }
}
