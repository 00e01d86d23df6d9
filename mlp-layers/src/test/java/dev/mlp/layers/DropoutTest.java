package dev.mlp.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlp.core.nn.Mode;
import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DropoutTest {
  private static Tensor ones(int rows, int cols) {
    Tensor t = new Tensor(rows, cols);
    t.fill(1f);
    return t;
  }

  @Test
  void trainingDropsAboutRateAndScalesTheRestSoTheMeanIsKept() {
    Dropout d = new Dropout(1000, 0.3, new Rng(1));
    Tensor y = d.forward(ones(100, 1000), Mode.TRAIN);
    long zeros = 0;
    double sum = 0;
    for (float v : y.toArray()) {
      assertThat(v).isIn(0f, 1f / 0.7f);
      zeros += v == 0f ? 1 : 0;
      sum += v;
    }
    assertThat(zeros / 100_000.0).isCloseTo(0.3, within(0.005));
    assertThat(sum / 100_000.0).isCloseTo(1.0, within(0.01));
  }

  @Test
  void evaluationIsTheIdentity() {
    Tensor x = LayerTests.randomInput(3, 10, 1);
    assertThat(new Dropout(10, 0.5, new Rng(1)).forward(x, Mode.EVAL).toArray())
        .containsExactly(x.toArray());
  }

  @Test
  void backwardUsesTheSameMaskAsForward() {
    Dropout d = new Dropout(50, 0.5, new Rng(2));
    Tensor y = d.forward(ones(2, 50), Mode.TRAIN);
    Tensor dx = d.backward(ones(2, 50));
    assertThat(dx.toArray()).containsExactly(y.toArray());
  }

  @Test
  void theSameSeedDrawsTheSameMasks() {
    Tensor a = new Dropout(64, 0.5, new Rng(9)).forward(ones(4, 64), Mode.TRAIN);
    Tensor b = new Dropout(64, 0.5, new Rng(9)).forward(ones(4, 64), Mode.TRAIN);
    Tensor c = new Dropout(64, 0.5, new Rng(10)).forward(ones(4, 64), Mode.TRAIN);
    assertThat(a.toArray()).containsExactly(b.toArray());
    assertThat(a.toArray()).isNotEqualTo(c.toArray());
  }

  @Test
  void theRateDefaultsToOneHalfAndMustBeInZeroToOne() {
    assertThat(new DropoutSpec(null).rate()).isEqualTo(0.5);
    assertThat(new DropoutSpec(0.2).rate()).isEqualTo(0.2);
    assertThat(new DropoutSpec(0.0).rate()).as("no dropout").isEqualTo(0.0);
    assertThatThrownBy(() -> new DropoutSpec(1.0)).hasMessage("rate must be in [0, 1), got 1.0");
    assertThatThrownBy(() -> new DropoutSpec(-0.5)).hasMessage("rate must be in [0, 1), got -0.5");
  }

  @Test
  void aRateOfZeroPassesValuesAndGradientsThrough() {
    Dropout d = new Dropout(10, 0.0, new Rng(1));
    Tensor x = LayerTests.randomInput(2, 10, 3);
    assertThat(d.forward(x, Mode.TRAIN).toArray()).containsExactly(x.toArray());
    Tensor dy = LayerTests.randomInput(2, 10, 4);
    assertThat(d.backward(dy).toArray()).containsExactly(dy.toArray());
  }

  @Test
  void dropoutBackwardMatchesFiniteDifferencesWithTheMaskHeld() {
    LayerTests.checkGradients(new Dropout(40, 0.4, new Rng(5)), 3, 4, null, 1);
  }
}
