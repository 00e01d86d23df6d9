package com.example.swish;

import dev.mlp.core.config.Field;
import dev.mlp.core.config.LayerSpec;

/** {@code {type: scale_shift, init_gain: 1.0}}: what the YAML can say about the layer. */
public record ScaleShiftSpec(
    @Field(value = "initial value of every gain", fallback = "1.0") double initGain)
    implements LayerSpec {
  public ScaleShiftSpec {
    if (!Double.isFinite(initGain)) {
      throw new IllegalArgumentException("init_gain must be a finite number, got " + initGain);
    }
  }
}
