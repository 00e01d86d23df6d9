package dev.mlp.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlp.core.nn.Mode;
import dev.mlp.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

class GeluTest {
  @Test
  void forwardMatchesTheTanhFormula() {
    Tensor y = new Gelu(4).forward(Tensor.of(1, 4, 0, 1, -1, 3), Mode.TRAIN);
    assertThat(y.get(0, 0)).isEqualTo(0f);
    // ½·1·(1 + tanh(√(2/π)·1.044715)) = 0.841192; for −1: −0.158808; for 3: 2.996363
    assertThat(y.get(0, 1)).isCloseTo(0.841192f, within(2e-6f));
    assertThat(y.get(0, 2)).isCloseTo(-0.158808f, within(2e-6f));
    assertThat(y.get(0, 3)).isCloseTo(2.996363f, within(5e-6f));
  }

  @Test
  void geluBackwardMatchesFiniteDifferences() {
    LayerTests.checkGradients(new Gelu(25), 4, 6, null, 3);
  }
}
