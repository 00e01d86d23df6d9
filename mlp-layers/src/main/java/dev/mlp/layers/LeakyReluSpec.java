package dev.mlp.layers;

import dev.mlp.core.config.Field;
import dev.mlp.core.config.InitializerSpec;
import dev.mlp.core.config.PreferredInit;
import dev.mlp.core.config.WidthPreservingSpec;
import dev.mlp.core.init.InitializerSpecs;

/** {@code {type: leaky_relu, negative_slope: 0.01}}. */
public record LeakyReluSpec(
    @Field(value = "slope for x < 0", fallback = "0.01") Double negativeSlope)
    implements WidthPreservingSpec, PreferredInit {
  public LeakyReluSpec {
    negativeSlope = negativeSlope == null ? 0.01 : negativeSlope;
    if (!(negativeSlope >= 0 && negativeSlope < 1)) {
      throw new IllegalArgumentException("negative_slope must be in [0, 1), got " + negativeSlope);
    }
  }

  /** The linear layer before it, when it names no init. */
  @Override
  public InitializerSpec preferredInit() {
    return new InitializerSpecs.HeUniform();
  }
}
