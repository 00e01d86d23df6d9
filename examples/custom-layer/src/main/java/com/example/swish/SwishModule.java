package com.example.swish;

import dev.mlp.core.registry.MlpModule;

/** Registers {@code swish}; listed in META-INF/services/dev.mlp.core.registry.MlpModule. */
public final class SwishModule extends MlpModule {
  @Override
  protected void configure() {
    layer(
        "swish",
        SwishSpec.class,
        (spec, ctx) -> new Swish(ctx.inputSize(), spec.beta()),
        "x · σ(βx), element-wise (Ramachandran et al. 2017)");
  }
}
