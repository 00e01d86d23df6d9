package dev.mlp.layers;

/**
 * Mean squared error, as PyTorch's MSELoss: L = Σᵢⱼ (xᵢⱼ − yᵢⱼ)² / (N·C); dL/dx = 2(x − y)/(N·C),
 * against target values (a regression) or one-hot class labels.
 */
public final class Mse extends PointwiseLoss {
  public Mse(int classes) {
    super(classes);
  }

  @Override
  double value(double e) {
    return e * e;
  }

  @Override
  double slope(double e) {
    return 2 * e;
  }

  @Override
  public String typeName() {
    return "mse";
  }

  @Override
  public String toString() {
    return "mse";
  }
}
