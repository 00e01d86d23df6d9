package dev.mlp.core.init;

import dev.mlp.core.config.Field;
import dev.mlp.core.config.InitializerSpec;

/** {@code xavier_uniform} or {@code {type: xavier_uniform, gain: 1.0}}. */
public record XavierUniformSpec(@Field(value = "scale of the bound", fallback = "1.0") Double gain)
    implements InitializerSpec {
  public XavierUniformSpec {
    gain = gain == null ? 1.0 : gain;
    if (!(gain > 0) || gain.isInfinite()) {
      throw new IllegalArgumentException("gain must be a positive number, got " + gain);
    }
  }

  public XavierUniformSpec() {
    this(null);
  }
}
