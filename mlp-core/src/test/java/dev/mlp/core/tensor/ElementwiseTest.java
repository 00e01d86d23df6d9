package dev.mlp.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ElementwiseTest {
  @Test
  void vectorSigmoidIsWithinAFewUlpsOfTheExactValueEverywhere() {
    assertThat(VectorKernels.available()).as("tests run with the Vector API module").isTrue();
    int n = 200_001;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = -100f + 200f * i / (n - 1);
    }
    float[] y = new float[n];
    Elementwise.sigmoid(x, y, 0, n);
    for (int i = 0; i < n; i++) {
      double exact = 1.0 / (1.0 + Math.exp(-x[i]));
      assertThat((double) y[i])
          .as("sigmoid(%s)", x[i])
          .isCloseTo(exact, within(Math.max(4e-7 * exact, 1e-37)));
    }
  }

  @Test
  void oddLengthsAreComputedToTheLastElementAndNoFurther() {
    float[] x = {0f, 1f, -1f, 2f, 5f, -5f, 0.5f};
    float[] y = new float[8];
    y[7] = 42f;
    Elementwise.sigmoid(x, y, 0, 7);
    assertThat(y[0]).isEqualTo(0.5f);
    assertThat(y[6]).isCloseTo(0.6224593f, within(1e-6f));
    assertThat(y[7]).as("past n").isEqualTo(42f);
  }

  /** Inputs with every special value in lanes and in tails, around a random middle. */
  static float[] specials(int n, long seed) {
    java.util.Random r = new java.util.Random(seed);
    float[] x = new float[n];
    float[] special = {
      Float.NaN,
      -0f,
      0f,
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      Float.MIN_VALUE,
      -Float.MIN_VALUE,
      Float.MAX_VALUE,
      -Float.MAX_VALUE,
      1e-40f,
      -1e-40f
    };
    for (int i = 0; i < n; i++) {
      x[i] = i % 7 == 3 ? special[(i / 7) % special.length] : (float) r.nextGaussian();
    }
    return x;
  }

  @Test
  void reluAndLeakyReluGiveTheBitsOfTheirScalarFormulasOnAnySliceAndSpecialValues() {
    int n = 1037; // not a multiple of any vector length
    float[] x = specials(n, 1);
    float[] dy = specials(n, 2);
    float slope = 0.01f;
    int from = 3; // a slice that starts and ends inside vectors
    int to = n - 2;
    float[] y = new float[n];
    float[] dx = new float[n];
    java.util.Arrays.fill(y, 42f);
    java.util.Arrays.fill(dx, 42f);
    Elementwise.relu(x, y, from, to);
    Elementwise.reluBackward(x, dy, dx, from, to);
    float[] ly = new float[n];
    float[] ldx = new float[n];
    Elementwise.leakyRelu(x, ly, slope, from, to);
    Elementwise.leakyReluBackward(x, dy, ldx, slope, from, to);
    for (int i = 0; i < n; i++) {
      if (i < from || i >= to) {
        assertThat(y[i]).as("y[%d] outside the slice", i).isEqualTo(42f);
        assertThat(dx[i]).as("dx[%d] outside the slice", i).isEqualTo(42f);
        continue;
      }
      assertThat(Float.floatToIntBits(y[i]))
          .as("relu(%s) at %d", x[i], i)
          .isEqualTo(Float.floatToIntBits(Math.max(0f, x[i])));
      assertThat(Float.floatToIntBits(dx[i]))
          .as("relu'(%s)·%s at %d", x[i], dy[i], i)
          .isEqualTo(Float.floatToIntBits(x[i] > 0f ? dy[i] : 0f));
      assertThat(Float.floatToIntBits(ly[i]))
          .as("leaky_relu(%s) at %d", x[i], i)
          .isEqualTo(Float.floatToIntBits(x[i] > 0f ? x[i] : slope * x[i]));
      assertThat(Float.floatToIntBits(ldx[i]))
          .as("leaky_relu'(%s)·%s at %d", x[i], dy[i], i)
          .isEqualTo(Float.floatToIntBits(x[i] > 0f ? dy[i] : slope * dy[i]));
    }
  }
}
