package dev.mlp.core.optim;

/** Checks of optimizer hyper-parameters, with messages that quote the bad value. */
final class Hyper {
  private Hyper() {}

  static double learningRate(Double lr) {
    if (lr == null) {
      throw new IllegalArgumentException("lr is required (a positive number, e.g. 0.01)");
    }
    if (!(lr > 0) || lr > 1e6) {
      throw new IllegalArgumentException("lr must be a positive number up to 1e6, got " + lr);
    }
    return lr;
  }

  /** value in [lo, hi) (or the fallback when absent). */
  static double inRange(String name, Double value, double fallback, double lo, double hi) {
    if (value == null) {
      return fallback;
    }
    if (!(value >= lo && value < hi)) {
      throw new IllegalArgumentException(
          name + " must be in [" + lo + ", " + hi + "), got " + value);
    }
    return value;
  }

  static double positive(String name, Double value, double fallback) {
    if (value == null) {
      return fallback;
    }
    if (!(value > 0) || value.isInfinite()) {
      throw new IllegalArgumentException(name + " must be a positive number, got " + value);
    }
    return value;
  }
}
