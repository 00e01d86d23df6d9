package com.example.swish;

import dev.mlp.core.config.CallbackSpec;
import dev.mlp.core.config.Field;

/** {@code training.callbacks: [{type: weight_norms, every: 1}]}. */
public record WeightNormsSpec(@Field(value = "epochs between reports", fallback = "1") Integer every)
    implements CallbackSpec {
  public WeightNormsSpec {
    every = every == null ? 1 : every;
    if (every < 1) {
      throw new IllegalArgumentException("every must be a positive number of epochs, got " + every);
    }
  }
}
