package dev.mlp.core.optim;

import dev.mlp.core.config.Field;
import dev.mlp.core.config.OptimizerSpec;

/** {@code {type: sgd, lr: 0.01}}, optionally with momentum (Nesterov or not) and L2 decay. */
public record SgdSpec(
    @Field("learning rate, > 0") Double lr,
    @Field(value = "momentum μ in [0, 1)", fallback = "0") Double momentum,
    @Field(value = "Nesterov momentum", fallback = "false") Boolean nesterov,
    @Field(value = "L2 penalty λ: adds λ·W to the gradient", fallback = "0") Double weightDecay)
    implements OptimizerSpec {
  public SgdSpec {
    Hyper.learningRate(lr);
    momentum = Hyper.inRange("momentum", momentum, 0.0, 0.0, 1.0);
    nesterov = nesterov != null && nesterov;
    weightDecay = Hyper.inRange("weight_decay", weightDecay, 0.0, 0.0, 1.0);
    if (nesterov && momentum == 0) {
      throw new IllegalArgumentException("nesterov needs a momentum > 0");
    }
  }

  public SgdSpec(Double lr) {
    this(lr, null, null, null);
  }

  @Override
  public int statePerParameter() {
    return momentum > 0 ? 1 : 0;
  }
}
