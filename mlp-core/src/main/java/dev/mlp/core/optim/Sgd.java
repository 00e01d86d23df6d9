package dev.mlp.core.optim;

import dev.mlp.core.nn.Parameter;
import dev.mlp.core.tensor.Kernels;
import java.util.List;

/** Plain stochastic gradient descent, as the seed: W ← W − lr · ∇W. */
public final class Sgd implements Optimizer {
  private final float lr;
  private final Kernels kernels;

  public Sgd(double lr) {
    this(lr, Kernels.defaults());
  }

  public Sgd(double lr, Kernels kernels) {
    this.kernels = kernels;
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("lr must be a positive number, got " + lr);
    }
    this.lr = (float) lr;
  }

  @Override
  public void step(List<Parameter> parameters) {
    for (int i = 0, n = parameters.size(); i < n; i++) { // indexed: no iterator per step
      Parameter p = parameters.get(i);
      // W ← W + (−lr)·∇W, split across threads as the layer's products were
      kernels.axpy(-lr, p.grad().data(), p.value().data(), p.value().rows(), p.value().cols());
    }
  }

  @Override
  public String toString() {
    return "sgd(lr=" + lr + ")";
  }
}
