package dev.mlp.core.optim;

import dev.mlp.core.config.Field;
import dev.mlp.core.config.OptimizerSpec;

/**
 * {@code {type: adam}} (L2 decay added to the gradient) and {@code {type: adamw}} (decoupled decay)
 * share these fields.
 */
public record AdamSpec(
    @Field(value = "learning rate, > 0", fallback = "0.001") Double lr,
    @Field(value = "decay of the first-moment estimate", fallback = "0.9") Double beta1,
    @Field(value = "decay of the second-moment estimate", fallback = "0.999") Double beta2,
    @Field(value = "added to √v̂ in the denominator", fallback = "1e-8") Double eps,
    @Field(value = "weight decay λ (adam: L2 in the gradient; adamw: decoupled)", fallback = "0")
        Double weightDecay)
    implements OptimizerSpec {
  public AdamSpec {
    lr = Hyper.learningRate(lr == null ? 1e-3 : lr);
    beta1 = Hyper.inRange("beta1", beta1, 0.9, 0.0, 1.0);
    beta2 = Hyper.inRange("beta2", beta2, 0.999, 0.0, 1.0);
    eps = Hyper.positive("eps", eps, 1e-8);
    weightDecay = Hyper.inRange("weight_decay", weightDecay, 0.0, 0.0, 1.0);
  }
}
