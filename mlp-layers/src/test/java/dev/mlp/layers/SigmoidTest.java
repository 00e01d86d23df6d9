package dev.mlp.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlp.core.check.GradientChecker;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SigmoidTest {
  @Test
  void forwardMatchesHandComputedValues() {
    Tensor y = new Sigmoid(3).forward(Tensor.of(1, 3, 0, 2, -2), Mode.TRAIN);
    assertThat(y.get(0, 0)).isEqualTo(0.5f);
    assertThat(y.get(0, 1)).isCloseTo(0.880797f, within(1e-6f));
    assertThat(y.get(0, 2)).isCloseTo(0.119203f, within(1e-6f));
  }

  @Test
  void backwardIsGradTimesSigmaTimesOneMinusSigma() {
    Sigmoid s = new Sigmoid(2);
    s.forward(Tensor.of(1, 2, 0, 2), Mode.TRAIN);
    Tensor dx = s.backward(Tensor.of(1, 2, 4, 1));
    assertThat(dx.get(0, 0)).isEqualTo(1f); // 4 · 0.5 · 0.5
    assertThat(dx.get(0, 1)).isCloseTo(0.104994f, within(1e-6f)); // 0.8808 · 0.1192
  }

  @Test
  void extremeInputsSaturateWithoutNaN() {
    Tensor y = new Sigmoid(3).forward(Tensor.of(1, 3, 1000, -1000, Float.NaN), Mode.TRAIN);
    assertThat(y.get(0, 0)).isEqualTo(1f);
    assertThat(y.get(0, 1)).isBetween(0f, 1e-37f);
    assertThat(y.get(0, 2)).as("NaN propagates, so divergence is caught").isNaN();
  }

  @Test
  void sigmoidBackwardMatchesFiniteDifferences() {
    GradientChecker.Report r = LayerTests.checkGradients(new Sigmoid(11), 4, 5, null, 1);
    assertThat(r.worstError()).isLessThan(1e-2);
  }
}
