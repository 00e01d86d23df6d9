package dev.mlp.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlp.core.check.GradientChecker;
import dev.mlp.core.init.Constant;
import dev.mlp.core.init.XavierUniform;
import dev.mlp.core.init.Zeros;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LinearTest {
  private static Linear tiny() {
    // W = [[1, 2, 3], [4, 5, 6]] (out 2 × in 3), b = [0.5, −1]
    Linear l = new Linear(3, 2, Kernels.defaults());
    System.arraycopy(new float[] {1, 2, 3, 4, 5, 6}, 0, l.weight().value().data(), 0, 6);
    System.arraycopy(new float[] {0.5f, -1f}, 0, l.bias().value().data(), 0, 2);
    return l;
  }

  @Test
  void forwardIsInputTimesWeightTransposedPlusBias() {
    Tensor y = tiny().forward(Tensor.of(2, 3, 1, 0, -1, 2, 1, 0), Mode.TRAIN);
    // row 0: [1−3, 4−6] + b = [−1.5, −3]; row 1: [2+2, 8+5] + b = [4.5, 12]
    assertThat(y.toArray()).containsExactly(-1.5f, -3f, 4.5f, 12f);
  }

  @Test
  void backwardGivesHandComputedGradients() {
    Linear l = tiny();
    l.forward(Tensor.of(2, 3, 1, 0, -1, 2, 1, 0), Mode.TRAIN);
    Tensor dx = l.backward(Tensor.of(2, 2, 1, 0, 0, 1));
    // dW = dYᵀ·X = [[1, 0, −1], [2, 1, 0]]; db = Σ rows dY = [1, 1]; dX = dY·W = [[1,2,3],[4,5,6]]
    assertThat(l.weight().grad().toArray()).containsExactly(1, 0, -1, 2, 1, 0);
    assertThat(l.bias().grad().toArray()).containsExactly(1, 1);
    assertThat(dx.toArray()).containsExactly(1, 2, 3, 4, 5, 6);
  }

  @Test
  void linearBackwardMatchesFiniteDifferences() {
    Linear l = new Linear(13, 7, Kernels.defaults());
    l.initialize(new XavierUniform(1), new XavierUniform(1), new Rng(3));
    GradientChecker.Report r = LayerTests.checkGradients(l, 5, 1, null, 2);
    assertThat(r.entries())
        .extracting(GradientChecker.Entry::tensor)
        .containsExactly("input", "weight", "bias");
  }

  @Test
  void firstLayerSkipsTheInputGradientWhenTold() {
    Linear l = tiny();
    l.setInputGradientNeeded(false);
    l.forward(Tensor.of(1, 3, 1, 1, 1), Mode.TRAIN);
    assertThat(l.backward(Tensor.of(1, 2, 1, 1))).isNull();
    assertThat(l.weight().grad().toArray()).containsExactly(1, 1, 1, 1, 1, 1);
  }

  @Test
  void smallerLastBatchReusesBuffersAndIsCorrect() {
    Linear l = tiny();
    l.forward(Tensor.of(2, 3, 1, 0, -1, 2, 1, 0), Mode.TRAIN);
    Tensor y = l.forward(Tensor.of(1, 3, 2, 1, 0), Mode.TRAIN);
    assertThat(y.rows()).isEqualTo(1);
    assertThat(y.toArray()).containsExactly(4.5f, 12f);
  }

  @Test
  void specRejectsMissingOrNonPositiveUnits() {
    assertThatThrownBy(() -> new LinearSpec(null, null, null, null))
        .hasMessage("units is required (a positive integer, e.g. 128)");
    assertThatThrownBy(() -> new LinearSpec(0)).hasMessageContaining("got 0");
  }

  @Test
  void specAcceptsWidthsFromOneToTheLimitAndNoMore() {
    int max = LinearSpec.MAX_UNITS;
    assertThat(new LinearSpec(1, 1, null, null).units()).isEqualTo(1);
    assertThat(new LinearSpec(max, max, null, null).inputs()).isEqualTo(max);
    assertThatThrownBy(() -> new LinearSpec(max + 1))
        .hasMessage("units must be an integer in [1, 1048576], got 1048577");
    assertThatThrownBy(() -> new LinearSpec(10, 0, null, null))
        .hasMessage("inputs must be an integer in [1, 1048576], got 0");
    assertThatThrownBy(() -> new LinearSpec(10, max + 1, null, null))
        .hasMessage("inputs must be an integer in [1, 1048576], got 1048577");
  }

  @Test
  void initializeFillsTheWeightsAndTheBiasesEachWithItsOwnInitializer() {
    Linear l = new Linear(4, 3, Kernels.defaults());
    l.initialize(new Constant(0.5), new Constant(-2), new Rng(1));
    assertThat(l.weight().value().toArray()).hasSize(12).containsOnly(0.5f);
    assertThat(l.bias().value().toArray()).containsExactly(-2f, -2f, -2f);
  }

  @Test
  void multiplyAddsPerSampleAreInTimesOut() {
    assertThat(new Linear(784, 128, Kernels.defaults()).multiplyAddsPerSample())
        .isEqualTo(100_352L);
  }

  @Test
  void summaryShowsShape() {
    assertThat(tiny()).hasToString("linear(3 → 2)");
    new Zeros().initialize(tiny().bias().value(), 3, 2, new Rng(0));
  }
}
