package dev.mlp.core.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InitializersTest {
  static final int IN = 784;
  static final int OUT = 128;

  static double[] meanAndVariance(Tensor t) {
    double sum = 0;
    double sq = 0;
    for (int i = 0; i < t.size(); i++) {
      sum += t.data()[i];
      sq += (double) t.data()[i] * t.data()[i];
    }
    double mean = sum / t.size();
    return new double[] {mean, sq / t.size() - mean * mean};
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "xavier_normal, true, AVERAGE, 1.0, 0.0021929824561403508", // 2 / (784 + 128)
    "he_uniform, false, IN, 1.4142135623730951, 0.002551020408163265", // 2 / 784
    "he_normal, true, IN, 1.4142135623730951, 0.002551020408163265",
    "lecun_normal, true, IN, 1.0, 0.0012755102040816326" // 1 / 784
  })
  void varianceScalingDrawsWithTheirVariance(
      String name, boolean normal, ScaledRandom.Fan fan, double gain, double expected) {
    ScaledRandom init = new ScaledRandom(name, normal, fan, gain);
    assertThat(init.variance(IN, OUT)).isCloseTo(expected, within(1e-12));
    Tensor w = new Tensor(OUT, IN);
    init.initialize(w, IN, OUT, new Rng(3));
    double[] mv = meanAndVariance(w);
    assertThat(mv[0]).isCloseTo(0, within(Math.sqrt(expected) * 0.02));
    assertThat(mv[1]).isCloseTo(expected, within(expected * 0.03));
    if (!normal) {
      for (float v : w.data()) {
        assertThat((double) Math.abs(v)).isLessThanOrEqualTo(Math.sqrt(3 * expected));
      }
    }
  }

  @Test
  void normalDrawsHaveGaussianTails() {
    Tensor w = new Tensor(OUT, IN);
    new ScaledRandom("he_normal", true, ScaledRandom.Fan.IN, Math.sqrt(2))
        .initialize(w, IN, OUT, new Rng(1));
    double sd = Math.sqrt(2.0 / IN);
    long beyondTwoSd = 0;
    for (float v : w.data()) {
      beyondTwoSd += Math.abs(v) > 2 * sd ? 1 : 0;
    }
    // P(|z| > 2) = 4.55 % for a Gaussian; 0 for a uniform of the same variance
    assertThat(beyondTwoSd / (double) w.size()).isCloseTo(0.0455, within(0.003));
  }

  @Test
  void constantFillsItsValueAndNeedsOne() {
    Tensor b = new Tensor(1, 5);
    new Constant(0.1).initialize(b, 5, 5, new Rng(0));
    assertThat(b.data()).containsOnly(0.1f);
    assertThatThrownBy(() -> new InitializerSpecs.Constant(null))
        .hasMessageContaining("value is required");
  }

  @Test
  void gainsMustBePositiveAndFiniteAndDefaultToOne() {
    assertThat(new InitializerSpecs.XavierNormal(null).gain()).isEqualTo(1.0);
    assertThat(new InitializerSpecs.XavierNormal(0.5).gain()).isEqualTo(0.5);
    assertThatThrownBy(() -> new InitializerSpecs.XavierNormal(0.0))
        .hasMessage("gain must be a positive number, got 0.0");
    assertThatThrownBy(() -> new InitializerSpecs.XavierNormal(Double.POSITIVE_INFINITY))
        .hasMessage("gain must be a positive number, got Infinity");
    assertThat(new XavierUniformSpec().gain()).isEqualTo(1.0);
    assertThatThrownBy(() -> new XavierUniformSpec(0.0))
        .hasMessage("gain must be a positive number, got 0.0");
    assertThatThrownBy(() -> new XavierUniformSpec(Double.NEGATIVE_INFINITY))
        .hasMessage("gain must be a positive number, got -Infinity");
  }

  @Test
  void aConstantMustBeFinite() {
    assertThat(new InitializerSpecs.Constant(-2.5).value()).isEqualTo(-2.5);
    assertThatThrownBy(() -> new InitializerSpecs.Constant(Double.NaN))
        .hasMessage("value is required (a finite number), got NaN");
  }
}
