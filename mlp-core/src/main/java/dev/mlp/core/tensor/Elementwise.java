package dev.mlp.core.tensor;

/**
 * Element-wise activations over elements from … to−1 of their arrays, vectorised when the Vector
 * API is present (the launcher adds it), in plain Java otherwise. Each element is computed the same
 * way wherever a slice begins or ends (the tails of sigmoid and tanh are masked vectors; those of
 * the ReLUs are scalar loops, the same bits since their operations are exact), so a caller may cut
 * the work anywhere.
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

  /** y[i] = max(0, x[i]) for from ≤ i &lt; to; NaN stays NaN, so divergence is seen. */
  public static void relu(float[] x, float[] y, int from, int to) {
    if (VECTOR) {
      VectorMath.relu(x, y, from, to);
    } else {
      for (int i = from; i < to; i++) {
        y[i] = Math.max(0f, x[i]);
      }
    }
  }

  /** dx[i] = dy[i] where x[i] &gt; 0, else 0, for from ≤ i &lt; to: ReLU's backward pass. */
  public static void reluBackward(float[] x, float[] dy, float[] dx, int from, int to) {
    if (VECTOR) {
      VectorMath.reluBackward(x, dy, dx, from, to);
    } else {
      for (int i = from; i < to; i++) {
        dx[i] = x[i] > 0f ? dy[i] : 0f;
      }
    }
  }

  /** y[i] = x[i] where x[i] &gt; 0, else slope·x[i], for from ≤ i &lt; to. */
  public static void leakyRelu(float[] x, float[] y, float slope, int from, int to) {
    if (VECTOR) {
      VectorMath.leakyRelu(x, y, slope, from, to);
    } else {
      for (int i = from; i < to; i++) {
        y[i] = x[i] > 0f ? x[i] : slope * x[i];
      }
    }
  }

  /** dx[i] = dy[i] where x[i] &gt; 0, else slope·dy[i], for from ≤ i &lt; to. */
  public static void leakyReluBackward(
      float[] x, float[] dy, float[] dx, float slope, int from, int to) {
    if (VECTOR) {
      VectorMath.leakyReluBackward(x, dy, dx, slope, from, to);
    } else {
      for (int i = from; i < to; i++) {
        dx[i] = x[i] > 0f ? dy[i] : slope * dy[i];
      }
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
