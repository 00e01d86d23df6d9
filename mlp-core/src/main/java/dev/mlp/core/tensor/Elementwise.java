package dev.mlp.core.tensor;

/**
 * Element-wise activations, vectorised when the Vector API is present (the launcher adds it), in
 * plain Java otherwise.
 */
public final class Elementwise {
  private static final boolean VECTOR = VectorKernels.available();

  private Elementwise() {}

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
