package dev.mlp.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlp.core.nn.Loss;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The huber and l1 losses: PyTorch's HuberLoss and L1Loss with mean reduction. */
class HuberL1Test {
  /** Two rows of two outputs against targets 0: errors 0.5, −2, 3, −0.25. */
  private static final Tensor X = Tensor.of(2, 2, 0.5f, -2f, 3f, -0.25f);

  private static final Tensor ZERO = new Tensor(2, 2);

  @Test
  void huberIsSquaredWithinDeltaAndLinearBeyond() {
    Huber h = new Huber(2, 1.0);
    h.setTargetValues(ZERO);
    h.forward(X, Mode.TRAIN);
    // ½·0.25 + (2 − ½) + (3 − ½) + ½·0.0625, over 4 (torch.nn.HuberLoss(delta=1) gives 1.0390625)
    assertThat(h.loss()).isCloseTo((0.125 + 1.5 + 2.5 + 0.03125) / 4, within(1e-12));
    // slopes e within delta, delta·sign(e) beyond, over 4
    assertThat(h.backward().toArray()).containsExactly(0.125f, -0.25f, 0.25f, -0.0625f);

    Huber wide = new Huber(2, 2.5);
    wide.setTargetValues(ZERO);
    wide.forward(X, Mode.TRAIN);
    // only the error 3 is beyond 2.5: 2.5·(3 − 1.25)
    assertThat(wide.loss()).isCloseTo((0.125 + 2 + 4.375 + 0.03125) / 4, within(1e-12));
  }

  @Test
  void l1IsTheMeanAbsoluteErrorWithTheSignForSlope() {
    L1 l = new L1(2);
    l.setTargetValues(Tensor.of(2, 2, 0.5f, 0f, 1f, 0f));
    l.forward(X, Mode.TRAIN);
    // |0| + |−2| + |2| + |−0.25|, over 4
    assertThat(l.loss()).isCloseTo(4.25 / 4, within(1e-12));
    // an error of exactly 0 has slope 0, as torch.sign
    assertThat(l.backward().toArray()).containsExactly(0f, -0.25f, 0.25f, -0.25f);
  }

  @Test
  void againstClassLabelsTheTargetIsOneHot() {
    L1 l = new L1(2);
    l.setTargets(new int[] {1, 0});
    l.forward(X, Mode.EVAL);
    // targets [0, 1] and [1, 0]: |0.5| + |−3| + |2| + |−0.25|
    assertThat(l.loss()).isCloseTo(5.75 / 4, within(1e-12));
    assertThat(l.output()).isSameAs(X);
  }

  /**
   * The backward pass against central differences of the loss, with the errors away from the kinks
   * (0 for l1, ±delta for huber) by more than the step.
   */
  @Test
  void backwardMatchesFiniteDifferences() {
    float[] errors = {0.3f, -0.7f, 1.6f, -2.4f, 0.05f, -0.15f, 3.3f, -1.2f, 0.9f, -0.45f};
    for (Loss loss : new Loss[] {new Huber(5, 1.0), new Huber(5, 0.5), new L1(5), new Mse(5)}) {
      Tensor x = new Tensor(2, 5);
      Tensor y = new Tensor(2, 5);
      for (int i = 0; i < 10; i++) {
        y.data()[i] = 0.37f * i - 1;
        x.data()[i] = y.data()[i] + errors[i];
      }
      loss.setTargetValues(y);
      loss.forward(x, Mode.TRAIN);
      float[] analytic = loss.backward().toArray();
      double h = 1e-3;
      for (int i = 0; i < 10; i++) {
        float keep = x.data()[i];
        x.data()[i] = (float) (keep + h);
        loss.forward(x, Mode.TRAIN);
        double up = loss.loss();
        x.data()[i] = (float) (keep - h);
        loss.forward(x, Mode.TRAIN);
        double down = loss.loss();
        x.data()[i] = keep;
        double step = (double) (float) (keep + h) - (float) (keep - h);
        assertThat(analytic[i])
            .as("%s, element %d", loss, i)
            .isCloseTo((float) ((up - down) / step), within(2e-4f));
      }
    }
  }

  @Test
  void deltaMustBePositive() {
    assertThat(new HuberSpec(null).delta()).isEqualTo(1.0);
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> new HuberSpec(bad))
          .hasMessage("delta must be a positive number, got " + bad);
    }
  }
}
