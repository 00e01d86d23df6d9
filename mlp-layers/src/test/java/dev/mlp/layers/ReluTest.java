package dev.mlp.layers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlp.core.nn.Mode;
import dev.mlp.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ReluTest {
  @Test
  void forwardKeepsPositivesAndZeroesTheRest() {
    Tensor y = new Relu(4).forward(Tensor.of(1, 4, -2, 0, 0.5f, 3), Mode.TRAIN);
    assertThat(y.toArray()).containsExactly(0, 0, 0.5f, 3);
  }

  @Test
  void backwardPassesTheGradientWhereTheInputWasPositive() {
    Relu r = new Relu(4);
    r.forward(Tensor.of(1, 4, -2, 0, 0.5f, 3), Mode.TRAIN);
    assertThat(r.backward(Tensor.of(1, 4, 1, 2, 3, 4)).toArray()).containsExactly(0, 0, 3, 4);
  }

  @Test
  void nanPropagatesSoDivergenceIsSeen() {
    Tensor y = new Relu(1).forward(Tensor.of(1, 1, Float.NaN), Mode.TRAIN);
    assertThat(y.get(0, 0)).isNaN();
  }

  @Test
  void reluBackwardMatchesFiniteDifferences() {
    LayerTests.checkGradients(new Relu(50), 6, 3, null, 1);
  }
}
