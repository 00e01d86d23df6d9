package dev.mlp.run.sweep;

import dev.mlp.core.config.Field;
import dev.mlp.core.config.LauncherSpec;

/**
 * {@code launcher: {type: local, parallel: N}}: trials as processes of this machine.
 *
 * @param parallel trials at once; null for the cores divided by the threads per trial
 */
public record LocalLauncherSpec(
    @Field(value = "trials at once", fallback = "cores / threads per trial") Integer parallel)
    implements LauncherSpec {
  public LocalLauncherSpec {
    if (parallel != null && parallel < 1) {
      throw new IllegalArgumentException("parallel must be at least 1, got " + parallel);
    }
  }
}
