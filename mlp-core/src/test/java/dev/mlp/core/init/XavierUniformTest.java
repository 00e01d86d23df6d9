package dev.mlp.core.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

class XavierUniformTest {
  @Test
  void seedLayerWeightsAreUniformWithinGlorotBound() {
    Tensor w = new Tensor(128, 784);
    new XavierUniform(1.0).initialize(w, 784, 128, new Rng(1));
    double bound = Math.sqrt(6.0 / (784 + 128));
    double sum = 0;
    double sq = 0;
    float max = 0;
    for (float v : w.data()) {
      assertThat(Math.abs(v)).isLessThanOrEqualTo((float) bound);
      max = Math.max(max, Math.abs(v));
      sum += v;
      sq += (double) v * v;
    }
    int n = w.size();
    assertThat(sum / n).isCloseTo(0, within(bound * 0.01));
    // variance of U(−a, a) is a²/3 = 2 / (fan_in + fan_out)
    assertThat(sq / n).isCloseTo(2.0 / (784 + 128), within(2.0 / (784 + 128) * 0.02));
    assertThat((double) max).isCloseTo(bound, within(bound * 0.001));
  }

  @Test
  void zerosFillsZeros() {
    Tensor b = Tensor.of(1, 3, 1, 2, 3);
    new Zeros().initialize(b, 3, 1, new Rng(0));
    assertThat(b.data()).containsOnly(0f);
  }

  @Test
  void gainScalesTheBound() {
    Tensor w = new Tensor(10, 10);
    new XavierUniform(2.0).initialize(w, 10, 10, new Rng(1));
    float max = 0;
    for (float v : w.data()) {
      max = Math.max(max, Math.abs(v));
    }
    assertThat((double) max)
        .isGreaterThan(Math.sqrt(6.0 / 20))
        .isLessThanOrEqualTo(2 * Math.sqrt(6.0 / 20));
  }
}
