package dev.mlp.layers;

/**
 * The Huber loss, as PyTorch's HuberLoss: for an error e, ½e² where |e| ≤ δ and δ(|e| − ½δ) beyond,
 * averaged over every element; its slope is e, then δ·sign(e). Squared for small errors, linear for
 * large ones: a few wild targets pull the model less than under {@link Mse}.
 */
public final class Huber extends PointwiseLoss {
  private final double delta;

  public Huber(int classes, double delta) {
    super(classes);
    this.delta = delta;
  }

  @Override
  double value(double e) {
    double a = Math.abs(e);
    return a <= delta ? 0.5 * e * e : delta * (a - 0.5 * delta);
  }

  @Override
  double slope(double e) {
    return Math.abs(e) <= delta ? e : delta * Math.signum(e);
  }

  @Override
  public String typeName() {
    return "huber";
  }

  @Override
  public String toString() {
    return "huber(delta=" + delta + ")";
  }
}
