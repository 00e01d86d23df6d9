package dev.mlp.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlp.core.nn.Parameter;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class SgdTest {
  @Test
  void stepSubtractsLearningRateTimesGradient() {
    Parameter p = new Parameter("weight", Tensor.of(1, 3, 1f, 2f, 3f));
    System.arraycopy(new float[] {10f, -20f, 0f}, 0, p.grad().data(), 0, 3);
    new Sgd(0.5).step(List.of(p));
    assertThat(p.value().data()).containsExactly(-4f, 12f, 3f);
  }

  /** Sets the gradient, takes one step, returns the weights and the momentum buffer after it. */
  private static float[][] step(Sgd sgd, Parameter p, float... gradient) {
    System.arraycopy(gradient, 0, p.grad().data(), 0, gradient.length);
    sgd.step(List.of(p));
    return new float[][] {p.value().toArray(), sgd.state(List.of(p), 0)[0].clone()};
  }

  /**
   * Momentum and weight decay together, as PyTorch's SGD does it: the decay is added to the
   * gradient once, d = ∇W + λ·W, before the buffer; b ← μ·b + d (b = d at the first step); W ← W −
   * lr·b. Three steps of lr 0.1, μ 0.5, λ 0.1 on two weights, worked out by hand; decay applied a
   * second time (to the buffer, or to the step) or not at all gives other numbers from step 1 or 2.
   */
  @Test
  void momentumWithWeightDecayAddsTheDecayOnceBeforeTheBuffer() {
    Sgd sgd = new Sgd(new SgdSpec(0.1, 0.5, false, 0.1), Kernels.defaults());
    Parameter p = new Parameter("weight", Tensor.of(1, 2, 2f, -1f));
    // w = 2, g = 0.5: d = 0.5 + 0.2 = 0.7, b = 0.7, w = 2 − 0.07
    // w = −1, g = 0.25: d = 0.25 − 0.1 = 0.15, b = 0.15, w = −1 − 0.015
    float[][] s = step(sgd, p, 0.5f, 0.25f);
    assertThat(s[1][0]).isCloseTo(0.7f, within(1e-6f));
    assertThat(s[1][1]).isCloseTo(0.15f, within(1e-6f));
    assertThat(s[0][0]).isCloseTo(1.93f, within(1e-6f));
    assertThat(s[0][1]).isCloseTo(-1.015f, within(1e-6f));
    // d = 0.5 + 0.193 = 0.693, b = 0.35 + 0.693 = 1.043, w = 1.93 − 0.1043
    // d = −0.5 − 0.1015 = −0.6015, b = 0.075 − 0.6015 = −0.5265, w = −1.015 + 0.05265
    s = step(sgd, p, 0.5f, -0.5f);
    assertThat(s[1][0]).isCloseTo(1.043f, within(1e-6f));
    assertThat(s[1][1]).isCloseTo(-0.5265f, within(1e-6f));
    assertThat(s[0][0]).isCloseTo(1.8257f, within(1e-6f));
    assertThat(s[0][1]).isCloseTo(-0.96235f, within(1e-6f));
    // d = 0.5 + 0.18257 = 0.68257, b = 0.5215 + 0.68257 = 1.20407, w = 1.8257 − 0.120407
    // d = 1 − 0.096235 = 0.903765, b = −0.26325 + 0.903765 = 0.640515, w = −0.96235 − 0.0640515
    s = step(sgd, p, 0.5f, 1f);
    assertThat(s[1][0]).isCloseTo(1.20407f, within(1e-6f));
    assertThat(s[1][1]).isCloseTo(0.640515f, within(1e-6f));
    assertThat(s[0][0]).isCloseTo(1.705293f, within(1e-6f));
    assertThat(s[0][1]).isCloseTo(-1.0264015f, within(1e-6f));
  }

  /**
   * Nesterov with weight decay: d = ∇W + λ·W; b ← μ·b + d; W ← W − lr·(d + μ·b). lr 0.1, μ 0.5, λ
   * 0.1 from w = 2 with g = 0.5 at every step.
   */
  @Test
  void nesterovWithWeightDecayAddsTheDecayOnceToTheGradientItLooksAheadFrom() {
    Sgd sgd = new Sgd(new SgdSpec(0.1, 0.5, true, 0.1), Kernels.defaults());
    Parameter p = new Parameter("weight", Tensor.of(1, 1, 2f));
    // d = 0.7, b = 0.7, step 0.7 + 0.35 = 1.05: w = 2 − 0.105
    float[][] s = step(sgd, p, 0.5f);
    assertThat(s[1][0]).isCloseTo(0.7f, within(1e-6f));
    assertThat(s[0][0]).isCloseTo(1.895f, within(1e-6f));
    // d = 0.5 + 0.1895 = 0.6895, b = 0.35 + 0.6895 = 1.0395, step 0.6895 + 0.51975 = 1.20925
    s = step(sgd, p, 0.5f);
    assertThat(s[1][0]).isCloseTo(1.0395f, within(1e-6f));
    assertThat(s[0][0]).isCloseTo(1.774075f, within(1e-6f));
    // d = 0.5 + 0.1774075 = 0.6774075, b = 0.51975 + 0.6774075 = 1.1971575,
    // step 0.6774075 + 0.59857875 = 1.27598625
    s = step(sgd, p, 0.5f);
    assertThat(s[1][0]).isCloseTo(1.1971575f, within(1e-6f));
    assertThat(s[0][0]).isCloseTo(1.6464764f, within(1e-6f));
  }

  @Test
  void nonPositiveLearningRateIsRejected() {
    assertThatThrownBy(() -> new Sgd(0))
        .hasMessage("lr must be a positive number up to 1e6, got 0.0");
    assertThatThrownBy(() -> new SgdSpec(-1.0)).hasMessageContaining("got -1.0");
    assertThatThrownBy(() -> new SgdSpec(Double.NaN)).hasMessageContaining("got NaN");
    assertThatThrownBy(() -> new SgdSpec(null)).hasMessageContaining("lr is required");
  }
}
