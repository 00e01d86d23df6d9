package dev.mlp.core;

import dev.mlp.core.init.Constant;
import dev.mlp.core.init.InitializerSpecs;
import dev.mlp.core.init.ScaledRandom;
import dev.mlp.core.init.XavierUniform;
import dev.mlp.core.init.XavierUniformSpec;
import dev.mlp.core.init.Zeros;
import dev.mlp.core.init.ZerosSpec;
import dev.mlp.core.optim.Adam;
import dev.mlp.core.optim.AdamSpec;
import dev.mlp.core.optim.AdamWSpec;
import dev.mlp.core.optim.RmsProp;
import dev.mlp.core.optim.RmsPropSpec;
import dev.mlp.core.optim.Sgd;
import dev.mlp.core.optim.SgdSpec;
import dev.mlp.core.registry.MlpModule;
import dev.mlp.core.schedule.ScheduleSpecs;

/** Registers the optimizers and initializers that ship with the core. */
public final class CoreModule extends MlpModule {
  @Override
  protected void configure() {
    optimizer(
        "sgd",
        SgdSpec.class,
        (spec, kernels) -> new Sgd(spec, kernels),
        "SGD: W ← W − lr·∇W, with optional momentum (Nesterov) and L2 weight decay");
    optimizer(
        "adam",
        AdamSpec.class,
        (spec, kernels) -> new Adam(spec),
        "Adam (Kingma & Ba 2015), bias-corrected moments; weight_decay as L2 in the gradient");
    optimizer(
        "adamw",
        AdamWSpec.class,
        (spec, kernels) -> new Adam(spec),
        "AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay");
    optimizer(
        "rmsprop",
        RmsPropSpec.class,
        (spec, kernels) -> new RmsProp(spec),
        "RMSProp: W ← W − lr·g/(√v + ε), v a running mean of g²");
    initializer(
        "xavier_uniform",
        XavierUniformSpec.class,
        spec -> new XavierUniform(spec.gain()),
        "U(±gain·√(6/(fan_in+fan_out))), Glorot & Bengio 2010");
    initializer("zeros", ZerosSpec.class, spec -> new Zeros(), "all zeros");
    schedule(
        "constant",
        ScheduleSpecs.Constant.class,
        spec -> (epoch, total) -> 1,
        "the optimizer's rate throughout");
    schedule(
        "step",
        ScheduleSpecs.Step.class,
        spec -> (epoch, total) -> Math.pow(spec.gamma(), Math.floor(epoch / spec.stepEpochs())),
        "rate · gamma^⌊epoch / step_epochs⌋");
    schedule(
        "exponential",
        ScheduleSpecs.Exponential.class,
        spec -> (epoch, total) -> Math.pow(spec.gamma(), Math.floor(epoch)),
        "rate · gamma^⌊epoch⌋");
    schedule(
        "cosine",
        ScheduleSpecs.Cosine.class,
        spec ->
            (epoch, total) ->
                spec.minFactor()
                    + (1 - spec.minFactor())
                        * (1 + Math.cos(Math.PI * Math.min(1, epoch / total)))
                        / 2,
        "rate · (min + (1 − min)·(1 + cos(π·t/T))/2), t and T in steps (Loshchilov & Hutter 2017)");
    initializer(
        "xavier_normal",
        InitializerSpecs.XavierNormal.class,
        spec -> new ScaledRandom("xavier_normal", true, ScaledRandom.Fan.AVERAGE, spec.gain()),
        "N(0, gain²·2/(fan_in+fan_out)), Glorot & Bengio 2010");
    initializer(
        "he_uniform",
        InitializerSpecs.HeUniform.class,
        spec -> new ScaledRandom("he_uniform", false, ScaledRandom.Fan.IN, Math.sqrt(2)),
        "U(±√(6/fan_in)), He et al. 2015: for ReLU layers");
    initializer(
        "he_normal",
        InitializerSpecs.HeNormal.class,
        spec -> new ScaledRandom("he_normal", true, ScaledRandom.Fan.IN, Math.sqrt(2)),
        "N(0, 2/fan_in), He et al. 2015: for ReLU layers");
    initializer(
        "lecun_normal",
        InitializerSpecs.LecunNormal.class,
        spec -> new ScaledRandom("lecun_normal", true, ScaledRandom.Fan.IN, 1),
        "N(0, 1/fan_in), LeCun et al. 1998");
    initializer(
        "constant",
        InitializerSpecs.Constant.class,
        spec -> new Constant(spec.value()),
        "every value the same");
  }
}
