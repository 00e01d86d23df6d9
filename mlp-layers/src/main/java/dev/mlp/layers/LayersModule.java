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
        (spec, ctx) -> new Sigmoid(ctx.inputSize(), ctx.kernels()),
        "logistic sigmoid 1/(1+e^−x), element-wise");
    layer(
        "relu",
        ReluSpec.class,
        (spec, ctx) -> new Relu(ctx.inputSize(), ctx.kernels()),
        "rectified linear unit max(0, x), element-wise");
    layer(
        "tanh",
        TanhSpec.class,
        (spec, ctx) -> new Tanh(ctx.inputSize(), ctx.kernels()),
        "hyperbolic tangent, element-wise");
    layer(
        "leaky_relu",
        LeakyReluSpec.class,
        (spec, ctx) -> new LeakyRelu(ctx.inputSize(), spec.negativeSlope(), ctx.kernels()),
        "x for x > 0, negative_slope·x otherwise, element-wise");
    layer(
        "gelu",
        GeluSpec.class,
        (spec, ctx) -> new Gelu(ctx.inputSize(), ctx.kernels()),
        "Gaussian error linear unit ½x(1 + tanh(√(2/π)(x + 0.044715x³))), element-wise");
    layer(
        "dropout",
        DropoutSpec.class,
        (spec, ctx) -> new Dropout(ctx.inputSize(), spec.rate(), ctx.rng()),
        "inverted dropout: drops a fraction `rate` of units in training, identity in evaluation");
    layer(
        "mse",
        MseSpec.class,
        (spec, ctx) -> new Mse(ctx.inputSize()),
        "mean squared error against target values, or one-hot class labels (a loss)");
    layer(
        "huber",
        HuberSpec.class,
        (spec, ctx) -> new Huber(ctx.inputSize(), spec.delta()),
        "Huber loss against target values: ½e² within delta, delta(|e| − ½delta) beyond (a loss)");
    layer(
        "l1",
        L1Spec.class,
        (spec, ctx) -> new L1(ctx.inputSize()),
        "mean absolute error against target values (a loss)");
    layer(
        "softmax_cross_entropy",
        SoftmaxCrossEntropySpec.class,
        (spec, ctx) -> new SoftmaxCrossEntropy(ctx.inputSize()),
        "softmax + mean cross-entropy loss; gradient (P − Y)/N");
  }
}
