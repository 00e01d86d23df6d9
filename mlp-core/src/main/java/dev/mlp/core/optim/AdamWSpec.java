package dev.mlp.core.optim;

import dev.mlp.core.config.Field;
import dev.mlp.core.config.OptimizerSpec;

/** {@code {type: adamw}}: Adam with decoupled weight decay (Loshchilov &amp; Hutter, 2019). */
public record AdamWSpec(
    @Field(value = "learning rate, > 0", fallback = "0.001") Double lr,
    @Field(value = "decay of the first-moment estimate", fallback = "0.9") Double beta1,
    @Field(value = "decay of the second-moment estimate", fallback = "0.999") Double beta2,
    @Field(value = "added to √v̂ in the denominator", fallback = "1e-8") Double eps,
    @Field(value = "decoupled weight decay λ: W ← W − lr·λ·W", fallback = "0.01")
        Double weightDecay)
    implements OptimizerSpec {
  public AdamWSpec {
    AdamSpec same = new AdamSpec(lr, beta1, beta2, eps, weightDecay == null ? 0.01 : weightDecay);
    lr = same.lr();
    beta1 = same.beta1();
    beta2 = same.beta2();
    eps = same.eps();
    weightDecay = same.weightDecay();
  }
}
