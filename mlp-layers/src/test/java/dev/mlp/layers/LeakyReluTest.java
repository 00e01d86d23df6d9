package dev.mlp.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlp.core.nn.Mode;
import dev.mlp.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LeakyReluTest {
  @Test
  void negativesAreScaledBySlope() {
    LeakyRelu l = new LeakyRelu(3, 0.1);
    assertThat(l.forward(Tensor.of(1, 3, -2, 0.5f, 3), Mode.TRAIN).toArray())
        .containsExactly(-0.2f, 0.5f, 3f);
    assertThat(l.backward(Tensor.of(1, 3, 1, 1, 1)).toArray()).containsExactly(0.1f, 1f, 1f);
  }

  @Test
  void atZeroTheOutputIsZeroAndTheGradientIsTheSlope() {
    // as PyTorch: the gradient is 1 only where x > 0
    LeakyRelu l = new LeakyRelu(2, 0.1);
    assertThat(l.forward(Tensor.of(1, 2, 0f, 0f), Mode.TRAIN).toArray()).containsExactly(0f, 0f);
    assertThat(l.backward(Tensor.of(1, 2, 2, 3)).toArray()).containsExactly(0.2f, 0.3f);
  }

  @Test
  void leakyReluBackwardMatchesFiniteDifferences() {
    LayerTests.checkGradients(new LeakyRelu(30, 0.2), 4, 2, null, 1);
  }

  @Test
  void slopeMustBeBelowOne() {
    assertThatThrownBy(() -> new LeakyReluSpec(1.0))
        .hasMessage("negative_slope must be in [0, 1), got 1.0");
    assertThat(new LeakyReluSpec(null).negativeSlope()).isEqualTo(0.01);
    assertThat(new LeakyReluSpec(0.0).negativeSlope()).as("a slope of 0 is ReLU").isEqualTo(0.0);
    assertThatThrownBy(() -> new LeakyReluSpec(-0.1))
        .hasMessage("negative_slope must be in [0, 1), got -0.1");
  }
}
