package dev.mlp.core.optim;

import dev.mlp.core.config.Field;
import dev.mlp.core.config.OptimizerSpec;

/** {@code {type: rmsprop}}. */
public record RmsPropSpec(
    @Field(value = "learning rate, > 0", fallback = "0.01") Double lr,
    @Field(value = "decay of the squared-gradient average", fallback = "0.99") Double alpha,
    @Field(value = "added to √v in the denominator", fallback = "1e-8") Double eps,
    @Field(value = "L2 penalty λ: adds λ·W to the gradient", fallback = "0") Double weightDecay)
    implements OptimizerSpec {
  public RmsPropSpec {
    lr = Hyper.learningRate(lr == null ? 0.01 : lr);
    alpha = Hyper.inRange("alpha", alpha, 0.99, 0.0, 1.0);
    eps = Hyper.positive("eps", eps, 1e-8);
    weightDecay = Hyper.inRange("weight_decay", weightDecay, 0.0, 0.0, 1.0);
  }

  @Override
  public int statePerParameter() {
    return 1;
  }
}
