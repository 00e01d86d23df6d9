package dev.mlp.core.optim;

import dev.mlp.core.nn.Parameter;
import dev.mlp.core.tensor.Updates;
import java.util.List;

/** RMSProp (Hinton), as PyTorch defines it: v ← αv + (1−α)g², W ← W − lr·g/(√v + ε). */
public final class RmsProp extends StatefulOptimizer {
  private final float alpha;
  private final float eps;
  private final float weightDecay;

  public RmsProp(RmsPropSpec spec) {
    super(spec.lr(), List.of("square_avg"));
    this.alpha = spec.alpha().floatValue();
    this.eps = spec.eps().floatValue();
    this.weightDecay = spec.weightDecay().floatValue();
  }

  @Override
  protected void update(Parameter p, float[][] state) {
    float lr = (float) learningRate();
    float[] v = state[0];
    float[] w = p.value().data();
    float[] g = p.grad().data();
    Updates.rmsprop(w, g, v, weightDecay, alpha, lr, eps, p.size());
  }

  /** The rate as the update applies it, in float32. */
  @Override
  public double learningRate() {
    return (float) super.learningRate();
  }

  @Override
  public String toString() {
    return "rmsprop(lr=" + (float) configuredLearningRate() + ", alpha=" + alpha + ")";
  }
}
