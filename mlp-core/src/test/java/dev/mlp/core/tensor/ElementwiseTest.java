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
}
