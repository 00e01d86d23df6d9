package dev.mlp.core.tensor;

/**
 * The optimizers' per-element updates, on the Vector API when it is present and in plain Java
 * otherwise, with the same bits either way: each formula is evaluated exactly as written (Java
 * never fuses a multiply and an add, and neither does the vector code here; a float square root is
 * correctly rounded in both).
 *
 * <p>Optimizer state that falls below the smallest normal float ({@link Float#MIN_NORMAL}, about
 * 1.2·10⁻³⁸) is stored as 0. Where a gradient stays at or near 0 (a unit that stopped firing, a
 * weight whose input is always 0 after a while), a running average decays geometrically into
 * subnormal floats, on which this kind of CPU computes many times slower: RMSprop took 640 µs a
 * step instead of 42 for the seed's 101,770 parameters once that happened. Such a value is far
 * below anything it is added to or divided by (ε is 10⁻⁸), so flushing it leaves the weights as
 * they were (only a weight within about 10⁻³⁰ of 0 could have moved by it).
 */
public final class Updates {
  private static final boolean VECTOR = VectorSupport.available();

  private Updates() {}

  /** x, or 0 when |x| is below the smallest normal float (subnormal). */
  static float flush(float x) {
    return Math.abs(x) < Float.MIN_NORMAL ? 0f : x;
  }

  /**
   * Adam for elements 0 … n−1: d = g + l2·w, m ← β₁m + (1−β₁)d, v ← β₂v + (1−β₂)d², w ← shrink·w −
   * a·m/(√v + ε̂).
   */
  public static void adam(
      float[] w,
      float[] g,
      float[] m,
      float[] v,
      float l2,
      float beta1,
      float beta2,
      float shrink,
      float a,
      float epsHat,
      int n) {
    int j = VECTOR ? VectorUpdates.adam(w, g, m, v, l2, beta1, beta2, shrink, a, epsHat, n) : 0;
    for (; j < n; j++) {
      float d = g[j] + l2 * w[j];
      m[j] = flush(beta1 * m[j] + (1 - beta1) * d);
      v[j] = flush(beta2 * v[j] + (1 - beta2) * d * d);
      w[j] = shrink * w[j] - a * m[j] / ((float) Math.sqrt(v[j]) + epsHat);
    }
  }

  /** RMSprop for elements 0 … n−1: d = g + λw, v ← αv + (1−α)d², w ← w − lr·d/(√v + ε). */
  public static void rmsprop(
      float[] w, float[] g, float[] v, float decay, float alpha, float lr, float eps, int n) {
    int j = VECTOR ? VectorUpdates.rmsprop(w, g, v, decay, alpha, lr, eps, n) : 0;
    for (; j < n; j++) {
      float d = g[j] + decay * w[j];
      v[j] = flush(alpha * v[j] + (1 - alpha) * d * d);
      w[j] -= lr * d / ((float) Math.sqrt(v[j]) + eps);
    }
  }

  /**
   * SGD with momentum for elements 0 … n−1: d = g + λw, b ← d on the first step and μb + d after,
   * then w ← w − lr·(d + μb) (Nesterov) or w − lr·b.
   */
  public static void momentum(
      float[] w,
      float[] g,
      float[] b,
      float decay,
      float mu,
      boolean nesterov,
      boolean first,
      float lr,
      int n) {
    int j = VECTOR ? VectorUpdates.momentum(w, g, b, decay, mu, nesterov, first, lr, n) : 0;
    for (; j < n; j++) {
      float d = g[j] + decay * w[j];
      b[j] = flush(first ? d : mu * b[j] + d);
      d = nesterov ? d + mu * b[j] : b[j];
      w[j] -= lr * d;
    }
  }
}
