package dev.mlp.core.optim;

import dev.mlp.core.nn.Parameter;
import java.util.List;

/** RMSProp (Hinton), as PyTorch defines it: v ← αv + (1−α)g², W ← W − lr·g/(√v + ε). */
public final class RmsProp implements Optimizer {
  private final double baseLr;
  private float lr;
  private final float alpha;
  private final float eps;
  private final float weightDecay;
  private final ParameterState squares = new ParameterState(1);

  public RmsProp(RmsPropSpec spec) {
    this.baseLr = spec.lr();
    this.lr = (float) baseLr;
    this.alpha = spec.alpha().floatValue();
    this.eps = spec.eps().floatValue();
    this.weightDecay = spec.weightDecay().floatValue();
  }

  @Override
  public void step(List<Parameter> parameters) {
    for (int i = 0, n = parameters.size(); i < n; i++) {
      Parameter p = parameters.get(i);
      float[] v = squares.get(parameters, i)[0];
      float[] w = p.value().data();
      float[] g = p.grad().data();
      for (int j = 0, size = p.size(); j < size; j++) {
        float d = g[j] + weightDecay * w[j];
        v[j] = alpha * v[j] + (1 - alpha) * d * d;
        w[j] -= lr * d / ((float) Math.sqrt(v[j]) + eps);
      }
    }
    squares.stepped();
  }

  @Override
  public List<String> stateSlots() {
    return List.of("square_avg");
  }

  @Override
  public float[][] state(List<Parameter> parameters, int i) {
    return squares.get(parameters, i);
  }

  @Override
  public long steps() {
    return squares.steps();
  }

  @Override
  public void setSteps(long steps) {
    squares.setSteps(steps);
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
    return "rmsprop(lr=" + (float) baseLr + ", alpha=" + alpha + ")";
  }
}
