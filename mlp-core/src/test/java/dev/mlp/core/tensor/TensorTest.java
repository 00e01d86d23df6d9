package dev.mlp.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TensorTest {
  @Test
  void reuseKeepsTheBufferForASmallerBatchAndGrowsForALargerOne() {
    Tensor t = new Tensor(32, 10);
    Tensor smaller = Tensor.reuse(t, 16, 10);
    assertThat(smaller).isSameAs(t);
    assertThat(smaller.rows()).isEqualTo(16);
    assertThat(smaller.size()).isEqualTo(160);
    Tensor larger = Tensor.reuse(t, 64, 10);
    assertThat(larger).isNotSameAs(t);
    assertThat(larger.rows()).isEqualTo(64);
    assertThat(Tensor.reuse(t, 8, 11)).as("other width").isNotSameAs(t);
  }

  @Test
  void elementsAreRowMajor() {
    Tensor t = Tensor.of(2, 3, 1, 2, 3, 4, 5, 6);
    assertThat(t.get(1, 0)).isEqualTo(4f);
    t.set(0, 2, 9f);
    assertThat(t.data()[2]).isEqualTo(9f);
    assertThat(t.shape()).isEqualTo("[2, 3]");
  }

  @Test
  void badShapesAndIndicesAreRejectedWithTheShape() {
    assertThatThrownBy(() -> Tensor.of(2, 2, 1, 2, 3))
        .hasMessageContaining("need 4 values for [2, 2], got 3");
    assertThatThrownBy(() -> new Tensor(1, 0)).hasMessageContaining("cols >= 1");
    assertThatThrownBy(() -> Tensor.of(1, 1, 0).get(1, 0)).hasMessageContaining("outside [1, 1]");
  }
}
