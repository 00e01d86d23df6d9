package dev.mlp.core.optim;

import dev.mlp.core.nn.Parameter;
import dev.mlp.core.tensor.Kernels;
import java.util.List;

/**
 * Stochastic gradient descent, as PyTorch defines it: g ← ∇W + λ·W; with momentum μ, b ← μ·b + g (b
 * = g on the first step) and g ← b, or g ← g + μ·b for Nesterov; then W ← W − lr·g. With no
 * momentum and no decay this is the seed's W ← W − lr·∇W.
 */
public final class Sgd implements Optimizer {
  private final double baseLr;
  private float lr;
  private final float momentum;
  private final boolean nesterov;
  private final float weightDecay;
  private final Kernels kernels;
  private final ParameterState buffers = new ParameterState(1);

  public Sgd(double lr) {
    this(lr, Kernels.defaults());
  }

  public Sgd(double lr, Kernels kernels) {
    this(new SgdSpec(lr), kernels);
  }

  public Sgd(SgdSpec spec, Kernels kernels) {
    this.baseLr = spec.lr();
    this.lr = (float) baseLr;
    this.momentum = spec.momentum().floatValue();
    this.nesterov = spec.nesterov();
    this.weightDecay = spec.weightDecay().floatValue();
    this.kernels = kernels;
  }

  @Override
  public void step(List<Parameter> parameters) {
    boolean plain = momentum == 0f && weightDecay == 0f;
    for (int i = 0, n = parameters.size(); i < n; i++) { // indexed: no iterator per step
      Parameter p = parameters.get(i);
      if (plain) {
        // W ← W + (−lr)·∇W, split across threads as the layer's products were
        kernels.axpy(-lr, p.grad().data(), p.value().data(), p.value().rows(), p.value().cols());
        continue;
      }
      float[] w = p.value().data();
      float[] g = p.grad().data();
      float[] b = buffers.get(parameters, i)[0];
      boolean first = buffers.steps() == 0;
      for (int j = 0, size = p.size(); j < size; j++) {
        float d = g[j] + weightDecay * w[j];
        if (momentum != 0f) {
          b[j] = first ? d : momentum * b[j] + d;
          d = nesterov ? d + momentum * b[j] : b[j];
        }
        w[j] -= lr * d;
      }
    }
    buffers.stepped();
  }

  @Override
  public List<String> stateSlots() {
    return momentum != 0f ? List.of("momentum_buffer") : List.of();
  }

  @Override
  public float[][] state(List<Parameter> parameters, int i) {
    return momentum != 0f ? buffers.get(parameters, i) : new float[0][];
  }

  @Override
  public long steps() {
    return buffers.steps();
  }

  @Override
  public void setSteps(long steps) {
    buffers.setSteps(steps);
  }

  @Override
  public void setLearningRateFactor(double factor) {
    lr = (float) (baseLr * factor);
  }

  @Override
  public double learningRate() {
    return lr;
  }

  @Override
  public String toString() {
    return "sgd(lr="
        + (float) baseLr
        + (momentum != 0 ? ", momentum=" + momentum + (nesterov ? ", nesterov" : "") : "")
        + (weightDecay != 0 ? ", weight_decay=" + weightDecay : "")
        + ")";
  }
}
