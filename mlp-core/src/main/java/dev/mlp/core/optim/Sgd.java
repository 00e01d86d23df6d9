package dev.mlp.core.optim;

import dev.mlp.core.nn.Parameter;
import java.util.List;

/** Plain stochastic gradient descent, as the seed: W ← W − lr · ∇W. */
public final class Sgd implements Optimizer {
  private final float lr;

  public Sgd(double lr) {
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("lr must be a positive number, got " + lr);
    }
    this.lr = (float) lr;
  }

  @Override
  public void step(List<Parameter> parameters) {
    for (Parameter p : parameters) {
      float[] w = p.value().data();
      float[] g = p.grad().data();
      for (int i = 0, n = p.size(); i < n; i++) {
        w[i] -= lr * g[i];
      }
    }
  }

  @Override
  public String toString() {
    return "sgd(lr=" + lr + ")";
  }
}
