package dev.mlp.core.optim;

import dev.mlp.core.nn.Parameter;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.tensor.Updates;
import java.util.List;

/**
 * Stochastic gradient descent, as PyTorch defines it: g ← ∇W + λ·W; with momentum μ, b ← μ·b + g (b
 * = g on the first step) and g ← b, or g ← g + μ·b for Nesterov; then W ← W − lr·g. With no
 * momentum and no decay this is the seed's W ← W − lr·∇W.
 */
public final class Sgd extends StatefulOptimizer {
  private final float momentum;
  private final boolean nesterov;
  private final float weightDecay;
  private final boolean plain;
  private final Kernels kernels;

  public Sgd(double lr) {
    this(lr, Kernels.defaults());
  }

  public Sgd(double lr, Kernels kernels) {
    this(new SgdSpec(lr), kernels);
  }

  public Sgd(SgdSpec spec, Kernels kernels) {
    super(spec.lr(), spec.momentum().floatValue() != 0f ? List.of("momentum_buffer") : List.of());
    this.momentum = spec.momentum().floatValue();
    this.nesterov = spec.nesterov();
    this.weightDecay = spec.weightDecay().floatValue();
    this.plain = momentum == 0f && weightDecay == 0f;
    this.kernels = kernels;
  }

  @Override
  protected void update(Parameter p, float[][] state) {
    float lr = (float) learningRate();
    if (plain) {
      // W ← W + (−lr)·∇W, split across threads as the layer's products were
      kernels.axpy(-lr, p.grad().data(), p.value().data(), p.value().rows(), p.value().cols());
      return;
    }
    float[] w = p.value().data();
    float[] g = p.grad().data();
    if (momentum != 0f) {
      Updates.momentum(w, g, state[0], weightDecay, momentum, nesterov, steps() == 0, lr, p.size());
      return;
    }
    for (int j = 0, size = p.size(); j < size; j++) {
      w[j] -= lr * (g[j] + weightDecay * w[j]);
    }
  }

  /** The rate as the update applies it, in float32. */
  @Override
  public double learningRate() {
    return (float) super.learningRate();
  }

  @Override
  public String toString() {
    return "sgd(lr="
        + (float) configuredLearningRate()
        + (momentum != 0 ? ", momentum=" + momentum + (nesterov ? ", nesterov" : "") : "")
        + (weightDecay != 0 ? ", weight_decay=" + weightDecay : "")
        + ")";
  }
}
