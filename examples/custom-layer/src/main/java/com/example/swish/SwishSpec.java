package com.example.swish;

import dev.mlp.core.config.Field;
import dev.mlp.core.config.LayerSpec;

/** {@code {type: swish, beta: 1.0}}: what the YAML can say about the layer. */
public record SwishSpec(@Field(value = "slope of the gate σ(βx)", fallback = "1.0") Double beta)
    implements LayerSpec {
  public SwishSpec {
    beta = beta == null ? 1.0 : beta;
    if (!(beta > 0) || beta.isInfinite()) {
      throw new IllegalArgumentException("beta must be a positive number, got " + beta);
    }
  }
}
