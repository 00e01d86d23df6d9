package dev.mlp.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlp.core.nn.Parameter;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One or two steps of each optimizer on a single weight, against values worked out by hand. */
class OptimizersTest {
  private final Parameter w = new Parameter("weight", Tensor.of(1, 1, 1f));

  private float stepWith(Optimizer o, float gradient) {
    w.grad().data()[0] = gradient;
    o.step(List.of(w));
    return w.value().data()[0];
  }

  @Test
  void sgdWithMomentumAccumulatesTheGradient() {
    Sgd o = new Sgd(new SgdSpec(0.1, 0.9, false, null), Kernels.defaults());
    assertThat(stepWith(o, 0.5f)).isCloseTo(0.95f, within(1e-7f)); // b = 0.5
    assertThat(stepWith(o, 0.5f)).isCloseTo(0.855f, within(1e-7f)); // b = 0.9·0.5 + 0.5
  }

  @Test
  void nesterovLooksAhead() {
    Sgd o = new Sgd(new SgdSpec(0.1, 0.9, true, null), Kernels.defaults());
    assertThat(stepWith(o, 0.5f)).isCloseTo(0.905f, within(1e-7f)); // 0.5 + 0.9·0.5
    assertThat(stepWith(o, 0.5f)).isCloseTo(0.7695f, within(1e-6f)); // 0.5 + 0.9·0.95
  }

  @Test
  void sgdWeightDecayAddsLambdaTimesTheWeight() {
    Sgd o = new Sgd(new SgdSpec(0.1, null, null, 0.1), Kernels.defaults());
    assertThat(stepWith(o, 0.5f)).isCloseTo(0.94f, within(1e-7f)); // 1 − 0.1·(0.5 + 0.1)
  }

  @Test
  void adamTakesTwoHandComputedSteps() {
    Adam o = new Adam(new AdamSpec(0.1, null, null, null, null));
    // m = 0.1, v = 0.001; m̂ = 1, v̂ = 1: a step of lr
    assertThat(stepWith(o, 1f)).isCloseTo(0.9f, within(1e-6f));
    // m = −0.01, v = 0.001999; m̂ = −0.01/0.19 = −0.0526316, v̂ = 1
    assertThat(stepWith(o, -1f)).isCloseTo(0.90526316f, within(1e-6f));
  }

  @Test
  void adamwDecaysTheWeightApartFromTheGradient() {
    Adam o = new Adam(new AdamWSpec(0.1, null, null, null, 0.1));
    // W ← (1 − 0.1·0.1)·1 − 0.1·(m̂ / √v̂ = 1)
    assertThat(stepWith(o, 0.5f)).isCloseTo(0.89f, within(1e-6f));
    assertThat(o).hasToString("adamw(lr=0.1, betas=(0.9, 0.999), weight_decay=0.1)");
  }

  @Test
  void rmspropDividesByTheRootMeanSquare() {
    RmsProp o = new RmsProp(new RmsPropSpec(0.01, null, null, null));
    assertThat(stepWith(o, 0.5f)).isCloseTo(0.9f, within(1e-6f)); // v = 0.0025
    assertThat(stepWith(o, 0.5f)).isCloseTo(0.8291119f, within(1e-6f)); // v = 0.004975
  }

  @Test
  void defaultsAreThoseOfPyTorch() {
    AdamSpec adam = new AdamSpec(null, null, null, null, null);
    assertThat(List.of(adam.lr(), adam.beta1(), adam.beta2(), adam.eps(), adam.weightDecay()))
        .containsExactly(1e-3, 0.9, 0.999, 1e-8, 0.0);
    assertThat(new AdamWSpec(null, null, null, null, null).weightDecay()).isEqualTo(0.01);
    assertThat(new RmsPropSpec(null, null, null, null).alpha()).isEqualTo(0.99);
  }

  @Test
  void badHyperParametersQuoteTheValue() {
    assertThatThrownBy(() -> new SgdSpec(0.1, 1.0, null, null))
        .hasMessage("momentum must be in [0.0, 1.0), got 1.0");
    assertThatThrownBy(() -> new SgdSpec(0.1, null, true, null))
        .hasMessage("nesterov needs a momentum > 0");
    assertThatThrownBy(() -> new AdamSpec(null, 1.5, null, null, null))
        .hasMessage("beta1 must be in [0.0, 1.0), got 1.5");
    assertThatThrownBy(() -> new RmsPropSpec(-1.0, null, null, null))
        .hasMessage("lr must be a positive number up to 1e6, got -1.0");
  }
}
