package dev.mlp.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlp.core.nn.Parameter;
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

  @Test
  void nonPositiveLearningRateIsRejected() {
    assertThatThrownBy(() -> new Sgd(0))
        .hasMessage("lr must be a positive number up to 1e6, got 0.0");
    assertThatThrownBy(() -> new SgdSpec(-1.0)).hasMessageContaining("got -1.0");
    assertThatThrownBy(() -> new SgdSpec(Double.NaN)).hasMessageContaining("got NaN");
    assertThatThrownBy(() -> new SgdSpec(null)).hasMessageContaining("lr is required");
  }
}
