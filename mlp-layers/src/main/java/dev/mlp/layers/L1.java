package dev.mlp.layers;

/**
 * Mean absolute error, as PyTorch's L1Loss: L = Σᵢⱼ |xᵢⱼ − yᵢⱼ| / (N·C); its slope is
 * sign(e)/(N·C), 0 where the error is exactly 0 (as torch.sign). It fits the median where {@link
 * Mse} fits the mean.
 */
public final class L1 extends PointwiseLoss {
  public L1(int classes) {
    super(classes);
  }

  @Override
  double value(double e) {
    return Math.abs(e);
  }

  @Override
  double slope(double e) {
    return Math.signum(e);
  }

  @Override
  public String typeName() {
    return "l1";
  }

  @Override
  public String toString() {
    return "l1";
  }
}
