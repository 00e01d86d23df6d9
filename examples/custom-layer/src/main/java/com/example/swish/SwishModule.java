package com.example.swish;

import dev.mlp.core.registry.MlpModule;

/**
 * Registers the layers {@code swish} and {@code scale_shift} and the training callback {@code
 * weight_norms}; listed in
 * META-INF/services/dev.mlp.core.registry.MlpModule.
 */
public final class SwishModule extends MlpModule {
  @Override
  protected void configure() {
    layer(
        "swish",
        SwishSpec.class,
        (spec, ctx) -> new Swish(ctx.inputSize(), spec.beta()),
        "x · σ(βx), element-wise (Ramachandran et al. 2017)");
    layer(
        "scale_shift",
        ScaleShiftSpec.class,
        (spec, ctx) -> new ScaleShift(ctx.inputSize(), spec.initGain()),
        "x ⊙ gain + shift, a learned gain and shift per feature");
    callback(
        "weight_norms",
        WeightNormsSpec.class,
        (spec, ctx) -> new WeightNorms(ctx.model(), spec.every(), ctx.log()),
        "after every N epochs, one line with the L2 norm of each parameter");
  }
}
