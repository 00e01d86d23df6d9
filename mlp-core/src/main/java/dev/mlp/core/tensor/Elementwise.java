package dev.mlp.core.tensor;

/**
 * Element-wise activations, vectorised when the Vector API is present (the launcher adds it), in
 * plain Java otherwise.
 */
public final class Elementwise {
  private static final boolean VECTOR = VectorSupport.available();

  private Elementwise() {}

  /** y[i] = tanh(x[i]) = 2·σ(2·x[i]) − 1 for i &lt; n. */
  public static void tanh(float[] x, float[] y, int n) {
    if (VECTOR) {
      VectorMath.tanh(x, y, n);
    } else {
      for (int i = 0; i < n; i++) {
        y[i] = (float) Math.tanh(x[i]);
      }
    }
  }

  /** y[i] = max(0, x[i]) for i &lt; n. */
  public static void relu(float[] x, float[] y, int n) {
    for (int i = 0; i < n; i++) {
      y[i] = Math.max(0f, x[i]); // NaN stays NaN, so divergence is seen
    }
  }

  /** y[i] = 1 / (1 + e^−x[i]) for i &lt; n. */
  public static void sigmoid(float[] x, float[] y, int n) {
    if (VECTOR) {
      VectorMath.sigmoid(x, y, n);
    } else {
      for (int i = 0; i < n; i++) {
        y[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
      }
    }
  }
}
