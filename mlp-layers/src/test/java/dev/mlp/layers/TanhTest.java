package dev.mlp.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlp.core.nn.Mode;
import dev.mlp.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

class TanhTest {
  @Test
  void forwardMatchesHandComputedValues() {
    Tensor y = new Tanh(4).forward(Tensor.of(1, 4, 0, 1, -2, 30), Mode.TRAIN);
    assertThat(y.get(0, 0)).isCloseTo(0f, within(1e-7f));
    assertThat(y.get(0, 1)).isCloseTo(0.7615942f, within(2e-7f));
    assertThat(y.get(0, 2)).isCloseTo(-0.9640276f, within(2e-7f));
    assertThat(y.get(0, 3)).isEqualTo(1f);
  }

  @Test
  void backwardIsGradTimesOneMinusTanhSquared() {
    Tanh t = new Tanh(2);
    t.forward(Tensor.of(1, 2, 0, 1), Mode.TRAIN);
    Tensor dx = t.backward(Tensor.of(1, 2, 2, 1));
    assertThat(dx.get(0, 0)).isCloseTo(2f, within(1e-6f)); // 2 · (1 − 0)
    assertThat(dx.get(0, 1)).isCloseTo(0.4199743f, within(1e-6f)); // 1 − tanh²(1)
  }

  @Test
  void tanhBackwardMatchesFiniteDifferences() {
    LayerTests.checkGradients(new Tanh(20), 5, 8, null, 2);
  }
}
