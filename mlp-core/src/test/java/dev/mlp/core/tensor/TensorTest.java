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

  @Test
  void everyIndexOutsideTheViewIsRefused() {
    Tensor t = new Tensor(2, 3);
    assertThatThrownBy(() -> t.get(2, 0)).hasMessage("(2, 0) outside [2, 3]");
    assertThatThrownBy(() -> t.get(0, 3)).hasMessage("(0, 3) outside [2, 3]");
    assertThatThrownBy(() -> t.get(-1, 0)).hasMessage("(-1, 0) outside [2, 3]");
    assertThatThrownBy(() -> t.set(0, -1, 1f)).hasMessage("(0, -1) outside [2, 3]");
    t.set(1, 2, 5f);
    assertThat(t.get(1, 2)).isEqualTo(5f);
    Tensor smaller = Tensor.reuse(t, 1, 3);
    assertThatThrownBy(() -> smaller.get(1, 0))
        .as("past the view")
        .hasMessage("(1, 0) outside [1, 3]");
  }

  @Test
  void aBufferOfExactlyTheNeededSizeIsReused() {
    Tensor t = new Tensor(4, 5);
    assertThat(Tensor.reuse(t, 4, 5)).isSameAs(t);
    assertThat(Tensor.reuse(t, 5, 4)).as("the width differs").isNotSameAs(t);
    assertThat(Tensor.reuse(null, 2, 5).shape()).isEqualTo("[2, 5]");
  }

  @Test
  void wrapUsesTheArrayItselfAndNeedsEnoughValues() {
    float[] values = {1, 2, 3, 4, 5, 6, 7};
    Tensor t = Tensor.wrap(2, 3, values);
    assertThat(t.data()).isSameAs(values);
    assertThat(t.toArray()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(t.size()).isEqualTo(6);
    assertThatThrownBy(() -> Tensor.wrap(2, 4, values))
        .hasMessage("need 8 values for [2, 4], got 7");
  }

  @Test
  void copiesAndFillsCoverTheViewOnly() {
    Tensor t = Tensor.of(2, 2, 1, 2, 3, 4);
    Tensor c = t.copy();
    c.set(0, 0, 9f);
    assertThat(t.get(0, 0)).isEqualTo(1f);
    Tensor view = Tensor.reuse(t, 1, 2);
    view.fill(7f);
    assertThat(t.data()).containsExactly(7, 7, 3, 4);
    assertThat(view.copy().toArray()).containsExactly(7, 7);
    assertThat(t).hasToString("Tensor[1, 2]");
    assertThatThrownBy(() -> new Tensor(-1, 2))
        .hasMessage("tensor shape must be rows >= 0, cols >= 1, got [-1, 2]");
    assertThat(new Tensor(0, 1).size()).isZero();
  }
}
