package dev.mlp.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlp.core.nn.Mode;
import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DropoutTest {
  private static Tensor ones(int rows, int cols) {
    Tensor t = new Tensor(rows, cols);
    t.fill(1f);
    return t;
  }

  @Test
  void trainingDropsAboutRateAndScalesTheRestSoTheMeanIsKept() {
    Dropout d = new Dropout(1000, 0.3, new Rng(1));
    Tensor y = d.forward(ones(100, 1000), Mode.TRAIN);
    long zeros = 0;
    double sum = 0;
    for (float v : y.toArray()) {
      assertThat(v).isIn(0f, 1f / 0.7f);
      zeros += v == 0f ? 1 : 0;
      sum += v;
    }
    assertThat(zeros / 100_000.0).isCloseTo(0.3, within(0.005));
    assertThat(sum / 100_000.0).isCloseTo(1.0, within(0.01));
  }

  @Test
  void evaluationIsTheIdentity() {
    Tensor x = LayerTests.randomInput(3, 10, 1);
    assertThat(new Dropout(10, 0.5, new Rng(1)).forward(x, Mode.EVAL).toArray())
        .containsExactly(x.toArray());
  }

  @Test
  void backwardUsesTheSameMaskAsForward() {
    Dropout d = new Dropout(50, 0.5, new Rng(2));
    Tensor y = d.forward(ones(2, 50), Mode.TRAIN);
    Tensor dx = d.backward(ones(2, 50));
    assertThat(dx.toArray()).containsExactly(y.toArray());
  }

  @Test
  void theSameSeedDrawsTheSameMasks() {
    Tensor a = new Dropout(64, 0.5, new Rng(9)).forward(ones(4, 64), Mode.TRAIN);
    Tensor b = new Dropout(64, 0.5, new Rng(9)).forward(ones(4, 64), Mode.TRAIN);
    Tensor c = new Dropout(64, 0.5, new Rng(10)).forward(ones(4, 64), Mode.TRAIN);
    assertThat(a.toArray()).containsExactly(b.toArray());
    assertThat(a.toArray()).isNotEqualTo(c.toArray());
  }

  /**
   * Each output is exactly 0 or exactly x·1/(1 − p), whatever the mask: for p = 0.25, 0.2 and 0.9
   * the scale is 4/3, 1.25 and 10, where 1/p (4, 5, 1.11), 1 − p or no scale at all would differ.
   * (At p = 0.5, 1/p and 1/(1 − p) are the same, so it is not among them.)
   */
  @Test
  void keptUnitsAreMultipliedByExactlyOneOverOneMinusTheRateAndTheOthersAreZero() {
    double[] rates = {0.25, 0.2, 0.9};
    float[] scales = {4f / 3f, 1.25f, 10f};
    for (int r = 0; r < rates.length; r++) {
      Dropout d = new Dropout(50, rates[r], new Rng(11 + r));
      float[] x = LayerTests.randomInput(4, 50, 5 + r).toArray();
      float[] y = d.forward(Tensor.of(4, 50, x), Mode.TRAIN).toArray();
      int kept = 0;
      for (int i = 0; i < x.length; i++) {
        assertThat(x[i]).isNotZero(); // so a zero output is a dropped unit
        if (y[i] != 0f) {
          assertThat(y[i]).as("rate %s, unit %d", rates[r], i).isEqualTo(x[i] * scales[r]);
          kept++;
        }
      }
      assertThat(kept).as("rate %s: some kept, some dropped", rates[r]).isBetween(1, 199);
    }
  }

  /**
   * Which units drop is the layer's seeded stream, one uniform draw per element in row-major order,
   * dropped when it is below the rate; each training forward draws a new mask from where the last
   * one ended. Worked out from a copy of the stream: the outputs, bit for bit.
   */
  @Test
  void eachTrainingForwardDrawsTheNextMaskOfTheSeededStream() {
    float scale = 4f / 3f; // p = 0.25
    Dropout d = new Dropout(30, 0.25, new Rng(21));
    Rng draws = new Rng(21);
    for (int step = 0; step < 3; step++) {
      float[] x = LayerTests.randomInput(3, 30, 40 + step).toArray();
      float[] want = new float[x.length];
      int dropped = 0;
      for (int i = 0; i < x.length; i++) {
        boolean drop = draws.nextFloat() < 0.25f;
        want[i] = x[i] * (drop ? 0f : scale); // a dropped negative input gives −0
        dropped += drop ? 1 : 0;
      }
      assertThat(dropped).as("step %d", step).isBetween(1, 89);
      assertThat(d.forward(Tensor.of(3, 30, x), Mode.TRAIN).toArray())
          .as("step %d", step)
          .containsExactly(want);
      assertThat(d.randomState()).isEqualTo(draws.state());
    }
  }

  /**
   * Backward multiplies the incoming gradient by the forward's own mask: 0 where the unit was
   * dropped, exactly 1/(1 − p) where it was kept; after the next forward, by the next mask.
   */
  @Test
  void backwardScalesByTheForwardsMaskExactly() {
    float scale = 1.25f; // p = 0.2
    Dropout d = new Dropout(40, 0.2, new Rng(8));
    for (int step = 0; step < 2; step++) {
      float[] y = d.forward(LayerTests.randomInput(5, 40, 60 + step), Mode.TRAIN).toArray();
      float[] dy = LayerTests.randomInput(5, 40, 70 + step).toArray();
      float[] dx = d.backward(Tensor.of(5, 40, dy)).toArray();
      for (int i = 0; i < y.length; i++) {
        float want = dy[i] * (y[i] == 0f ? 0f : scale);
        assertThat(dx[i]).as("step %d, unit %d", step, i).isEqualTo(want);
      }
    }
  }

  /** Held randomness (the gradient checker's) applies the same mask to another input. */
  @Test
  void aHeldMaskIsAppliedAgainToTheNextInput() {
    Dropout d = new Dropout(20, 0.25, new Rng(4));
    d.holdRandomness(true);
    float[] first = d.forward(ones(2, 20), Mode.TRAIN).toArray();
    long state = d.randomState();
    float[] x = LayerTests.randomInput(2, 20, 9).toArray();
    float[] y = d.forward(Tensor.of(2, 20, x), Mode.TRAIN).toArray();
    for (int i = 0; i < x.length; i++) {
      assertThat(y[i]).isEqualTo(x[i] * (first[i] == 0f ? 0f : 4f / 3f));
    }
    assertThat(d.randomState()).as("nothing drawn").isEqualTo(state);
  }

  /** In evaluation every unit passes unscaled, and the stream is not touched. */
  @Test
  void evaluationPassesEveryUnitUnscaledAndDrawsNothing() {
    Dropout d = new Dropout(10, 0.25, new Rng(3));
    long before = d.randomState();
    Tensor x = LayerTests.randomInput(3, 10, 2);
    float[] in =
        x.toArray(); // before the call: a layer that scaled x in place would pass otherwise
    assertThat(d.forward(x, Mode.EVAL).toArray()).containsExactly(in);
    assertThat(x.toArray()).containsExactly(in);
    assertThat(d.randomState()).isEqualTo(before);
  }

  @Test
  void theRateDefaultsToOneHalfAndMustBeInZeroToOne() {
    assertThat(new DropoutSpec(null).rate()).isEqualTo(0.5);
    assertThat(new DropoutSpec(0.2).rate()).isEqualTo(0.2);
    assertThat(new DropoutSpec(0.0).rate()).as("no dropout").isEqualTo(0.0);
    assertThatThrownBy(() -> new DropoutSpec(1.0)).hasMessage("rate must be in [0, 1), got 1.0");
    assertThatThrownBy(() -> new DropoutSpec(-0.5)).hasMessage("rate must be in [0, 1), got -0.5");
  }

  @Test
  void aRateOfZeroPassesValuesAndGradientsThrough() {
    Dropout d = new Dropout(10, 0.0, new Rng(1));
    Tensor x = LayerTests.randomInput(2, 10, 3);
    assertThat(d.forward(x, Mode.TRAIN).toArray()).containsExactly(x.toArray());
    Tensor dy = LayerTests.randomInput(2, 10, 4);
    assertThat(d.backward(dy).toArray()).containsExactly(dy.toArray());
  }

  @Test
  void dropoutBackwardMatchesFiniteDifferencesWithTheMaskHeld() {
    LayerTests.checkGradients(new Dropout(40, 0.4, new Rng(5)), 3, 4, null, 1);
  }
}
