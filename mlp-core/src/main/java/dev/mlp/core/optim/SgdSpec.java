package dev.mlp.core.optim;

import dev.mlp.core.config.Field;
import dev.mlp.core.config.OptimizerSpec;

/** {@code {type: sgd, lr: 0.01}} — lr is required. */
public record SgdSpec(@Field("learning rate, > 0") Double lr) implements OptimizerSpec {
  public SgdSpec {
    if (lr == null) {
      throw new IllegalArgumentException("lr is required (a positive number, e.g. 0.01)");
    }
    if (!(lr > 0) || lr > 1e6 || lr.isNaN()) {
      throw new IllegalArgumentException("lr must be a positive number up to 1e6, got " + lr);
    }
  }
}
