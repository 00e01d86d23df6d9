package dev.mlp.layers;

import dev.mlp.core.registry.MlpModule;

/** Registers the built-in layers by the type names used in YAML. */
public final class LayersModule extends MlpModule {
  @Override
  protected void configure() {
    layer("linear", LinearSpec.class, Linear::create, "fully connected: y = x·Wᵀ + b");
    layer(
        "sigmoid",
        SigmoidSpec.class,
        (spec, ctx) -> new Sigmoid(ctx.inputSize()),
        "logistic sigmoid 1/(1+e^−x), element-wise");
    layer(
        "relu",
        ReluSpec.class,
        (spec, ctx) -> new Relu(ctx.inputSize()),
        "rectified linear unit max(0, x), element-wise");
    layer(
        "tanh",
        TanhSpec.class,
        (spec, ctx) -> new Tanh(ctx.inputSize()),
        "hyperbolic tangent, element-wise");
    layer(
        "softmax_cross_entropy",
        SoftmaxCrossEntropySpec.class,
        (spec, ctx) -> new SoftmaxCrossEntropy(ctx.inputSize()),
        "softmax + mean cross-entropy loss; gradient (P − Y)/N");
  }
}
