package dev.mlp.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlp.core.nn.Mode;
import dev.mlp.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

class MseTest {
  @Test
  void lossIsTheMeanOfSquaredErrorsAgainstOneHotTargets() {
    Mse m = new Mse(3);
    m.setTargets(new int[] {0, 2});
    m.forward(Tensor.of(2, 3, 0.5f, 0, 0, 0, 1, 1), Mode.TRAIN);
    // (0.25 + 0 + 0 + 0 + 1 + 0) / 6
    assertThat(m.loss()).isCloseTo(1.25 / 6, within(1e-9));
    Tensor dx = m.backward();
    // 2(x − y)/6
    assertThat(dx.toArray()).containsExactly(-1f / 6, 0, 0, 0, 2f / 6, 0);
  }

  @Test
  void itPredictsFromItsInputAsItIs() {
    Mse m = new Mse(3);
    assertThat(m.inputSize()).isEqualTo(3);
    assertThat(m.outputSize()).isEqualTo(3);
    Tensor x = Tensor.of(1, 3, 0.2f, 0.7f, 0.1f);
    assertThat(m.forward(x, Mode.EVAL)).as("no targets yet").isSameAs(x);
    assertThat(m.loss()).isNaN();
    m.setTargets(new int[] {1});
    assertThat(m.forward(x, Mode.EVAL)).isSameAs(x);
    assertThat(m.output()).isSameAs(x);
    assertThat(m.loss()).isCloseTo((0.04 + 0.09 + 0.01) / 3, within(1e-7));
  }

  @Test
  void aLabelOutsideTheClassesIsRefused() {
    Mse m = new Mse(3);
    m.setTargets(new int[] {0, 3});
    assertThatThrownBy(() -> m.forward(new Tensor(2, 3), Mode.TRAIN))
        .hasMessage("label 3 at row 1 is outside [0, 3)");
    m.setTargets(new int[] {-1});
    assertThatThrownBy(() -> m.forward(new Tensor(1, 3), Mode.TRAIN))
        .hasMessage("label -1 at row 0 is outside [0, 3)");
  }

  @Test
  void mseBackwardMatchesFiniteDifferences() {
    LayerTests.checkGradients(new Mse(10), 5, 2, new int[] {1, 2, 3, 9, 0}, 1);
  }
}
