package dev.mlp.core;

import dev.mlp.core.init.XavierUniform;
import dev.mlp.core.init.XavierUniformSpec;
import dev.mlp.core.init.Zeros;
import dev.mlp.core.init.ZerosSpec;
import dev.mlp.core.optim.Sgd;
import dev.mlp.core.optim.SgdSpec;
import dev.mlp.core.registry.MlpModule;

/** Registers the optimizers and initializers that ship with the core. */
public final class CoreModule extends MlpModule {
  @Override
  protected void configure() {
    optimizer(
        "sgd",
        SgdSpec.class,
        (spec, kernels) -> new Sgd(spec.lr(), kernels),
        "plain SGD: W ← W − lr·∇W");
    initializer(
        "xavier_uniform",
        XavierUniformSpec.class,
        spec -> new XavierUniform(spec.gain()),
        "U(±gain·√(6/(fan_in+fan_out))), Glorot & Bengio 2010");
    initializer("zeros", ZerosSpec.class, spec -> new Zeros(), "all zeros");
  }
}
