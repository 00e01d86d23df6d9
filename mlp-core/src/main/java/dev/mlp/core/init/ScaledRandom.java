package dev.mlp.core.init;

import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Tensor;

/**
 * The variance-scaling family (Glorot, He, LeCun): uniform U(±√(3s)) or normal N(0, s) with s =
 * gain² / fan, where fan is fan_in, fan_out or their mean.
 */
public final class ScaledRandom implements Initializer {
  /** Which fan the variance is divided by. */
  public enum Fan {
    IN,
    AVERAGE
  }

  private final String name;
  private final boolean normal;
  private final Fan fan;
  private final double gain;

  public ScaledRandom(String name, boolean normal, Fan fan, double gain) {
    this.name = name;
    this.normal = normal;
    this.fan = fan;
    this.gain = gain;
  }

  /** The variance the values are drawn with, for these fans. */
  public double variance(int fanIn, int fanOut) {
    double f = fan == Fan.IN ? fanIn : (fanIn + fanOut) / 2.0;
    return gain * gain / f;
  }

  @Override
  public void initialize(Tensor values, int fanIn, int fanOut, Rng rng) {
    double variance = variance(fanIn, fanOut);
    float[] data = values.data();
    if (normal) {
      double sd = Math.sqrt(variance);
      for (int i = 0, n = values.size(); i < n; i++) {
        data[i] = (float) (rng.nextGaussian() * sd);
      }
    } else {
      double bound = Math.sqrt(3 * variance);
      for (int i = 0, n = values.size(); i < n; i++) {
        data[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
      }
    }
  }

  @Override
  public String toString() {
    return name + (gain == 1 ? "" : "(gain=" + gain + ")");
  }
}
