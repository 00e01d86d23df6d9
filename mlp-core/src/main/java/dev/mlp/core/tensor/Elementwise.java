package dev.mlp.core.tensor;

/**
 * Element-wise activations over elements from … to−1 of their arrays, vectorised when the Vector
 * API is present (the launcher adds it), in plain Java otherwise. Each element is computed the same
 * way wherever a slice begins or ends (the vector tail is a masked vector, not a scalar loop), so a
 * caller may cut the work anywhere.
 */
public final class Elementwise {
  private static final boolean VECTOR = VectorSupport.available();

  private Elementwise() {}

  /** y[i] = tanh(x[i]) = 2·σ(2·x[i]) − 1 for from ≤ i &lt; to. */
  public static void tanh(float[] x, float[] y, int from, int to) {
    if (VECTOR) {
      VectorMath.tanh(x, y, from, to);
    } else {
      for (int i = from; i < to; i++) {
        y[i] = (float) Math.tanh(x[i]);
      }
    }
  }

  /** y[i] = max(0, x[i]) for from ≤ i &lt; to. */
  public static void relu(float[] x, float[] y, int from, int to) {
    for (int i = from; i < to; i++) {
      y[i] = Math.max(0f, x[i]); // NaN stays NaN, so divergence is seen
    }
  }

  /** y[i] = 1 / (1 + e^−x[i]) for from ≤ i &lt; to. */
  public static void sigmoid(float[] x, float[] y, int from, int to) {
    if (VECTOR) {
      VectorMath.sigmoid(x, y, from, to);
    } else {
      for (int i = from; i < to; i++) {
        y[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
      }
    }
  }
}
