package dev.mlp.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlp.core.nn.Mode;
import dev.mlp.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SoftmaxCrossEntropyTest {
  @Test
  void forwardGivesSoftmaxAndMeanCrossEntropy() {
    SoftmaxCrossEntropy l = new SoftmaxCrossEntropy(3);
    l.setTargets(new int[] {2, 0});
    Tensor p = l.forward(Tensor.of(2, 3, 1, 2, 3, 0, 0, 0), Mode.TRAIN);
    // softmax([1,2,3]) = [0.090031, 0.244728, 0.665241]; softmax([0,0,0]) = 1/3 each
    assertThat(p.get(0, 0)).isCloseTo(0.090031f, within(1e-6f));
    assertThat(p.get(0, 2)).isCloseTo(0.665241f, within(1e-6f));
    assertThat(p.get(1, 1)).isCloseTo(1f / 3, within(1e-6f));
    // loss = (−log 0.665241 − log(1/3)) / 2 = (0.407606 + 1.098612) / 2
    assertThat(l.loss()).isCloseTo(0.753109, within(1e-5));
  }

  @Test
  void backwardIsProbabilitiesMinusOneHotOverBatchSize() {
    SoftmaxCrossEntropy l = new SoftmaxCrossEntropy(3);
    l.setTargets(new int[] {2, 0});
    l.forward(Tensor.of(2, 3, 1, 2, 3, 0, 0, 0), Mode.TRAIN);
    Tensor dz = l.backward();
    assertThat(dz.get(0, 0)).isCloseTo(0.090031f / 2, within(1e-6f));
    assertThat(dz.get(0, 2)).isCloseTo((0.665241f - 1) / 2, within(1e-6f));
    assertThat(dz.get(1, 0)).isCloseTo((1f / 3 - 1) / 2, within(1e-6f));
    assertThat(dz.get(1, 1)).isCloseTo(1f / 6, within(1e-6f));
  }

  @Test
  void hugeLogitsStayFiniteAndNeverTakeLogOfZero() {
    SoftmaxCrossEntropy l = new SoftmaxCrossEntropy(3);
    l.setTargets(new int[] {0});
    Tensor p = l.forward(Tensor.of(1, 3, 1e4f, -1e4f, 0), Mode.TRAIN);
    assertThat(p.toArray()).containsExactly(1f, 0f, 0f);
    assertThat(l.loss()).isEqualTo(0.0);
    l.setTargets(new int[] {1});
    l.forward(Tensor.of(1, 3, 1e4f, -1e4f, 0), Mode.TRAIN);
    // the true class has probability e^−20000: the loss is its exact log, not infinity
    assertThat(l.loss()).isCloseTo(2e4, within(1e-3));
  }

  @Test
  void theLargestLogitIsSubtractedWhereverItIs() {
    // without the shift e^10000 overflows and the probabilities become NaN
    SoftmaxCrossEntropy l = new SoftmaxCrossEntropy(3);
    l.setTargets(new int[] {2});
    Tensor p = l.forward(Tensor.of(1, 3, 0, -1e4f, 1e4f), Mode.TRAIN);
    assertThat(p.toArray()).containsExactly(0f, 0f, 1f);
    assertThat(l.loss()).isEqualTo(0.0);
  }

  @Test
  void aLabelOutsideTheClassesIsRefused() {
    SoftmaxCrossEntropy l = new SoftmaxCrossEntropy(3);
    l.setTargets(new int[] {3});
    assertThatThrownBy(() -> l.forward(new Tensor(1, 3), Mode.TRAIN))
        .hasMessage("label 3 at row 0 is outside [0, 3)");
    l.setTargets(new int[] {-1});
    assertThatThrownBy(() -> l.forward(new Tensor(1, 3), Mode.TRAIN))
        .hasMessage("label -1 at row 0 is outside [0, 3)");
  }

  @Test
  void withoutTargetsItGivesProbabilitiesAndNoLoss() {
    SoftmaxCrossEntropy l = new SoftmaxCrossEntropy(2);
    Tensor p = l.forward(Tensor.of(1, 2, 0, 0), Mode.EVAL);
    assertThat(p.toArray()).containsExactly(0.5f, 0.5f);
    assertThat(l.output()).isSameAs(p);
    assertThat(l.loss()).isNaN();
  }

  @Test
  void softmaxCrossEntropyBackwardMatchesFiniteDifferences() {
    int[] labels = {3, 0, 9, 5, 5, 1};
    LayerTests.checkGradients(new SoftmaxCrossEntropy(10), 6, 9, labels, 1);
  }
}
