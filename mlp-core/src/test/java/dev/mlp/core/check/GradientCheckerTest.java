package dev.mlp.core.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import dev.mlp.core.nn.ElementwiseLayer;
import dev.mlp.core.nn.Layer;
import dev.mlp.core.nn.LayerFailedException;
import dev.mlp.core.nn.LayerOrigin;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.nn.ToyLayers.Affine;
import dev.mlp.core.nn.ToyLayers.Coin;
import dev.mlp.core.nn.ToyLayers.Faulty;
import dev.mlp.core.nn.ToyLayers.HalfSquaredError;
import dev.mlp.core.nn.ToyLayers.KinkAndBowl;
import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Tensor;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checker on layers whose gradients are known: right, wrong by a known amount, at kinks. */
class GradientCheckerTest {
  private static Tensor input(int rows, int cols, long seed) {
    return GradientChecker.gaussian(rows, cols, new Rng(seed));
  }

  @Test
  void aCorrectLayerPassesWithEveryTensorChecked() {
    GradientChecker.Report r =
        new GradientChecker().check(new Affine(4, new Rng(1)), input(3, 4, 2), null, new Rng(3));
    assertThat(r.passed()).as(r.toString()).isTrue();
    assertThat(r.worstError()).isLessThan(1e-3);
    assertThat(r.entries())
        .extracting(GradientChecker.Entry::tensor)
        .containsExactly("input", "a", "b");
    assertThat(r.toString()).startsWith("input ").endsWith("PASS");
  }

  @Test
  void aWeightGradientTwiceTooLargeIsReportedWithErrorOneHalf() {
    Affine wrong = new Affine(4, new Rng(1));
    wrong.wrongWeightGradient = 2f;
    GradientChecker.Report r = new GradientChecker().check(wrong, input(3, 4, 2), null, new Rng(3));
    assertThat(r.passed()).isFalse();
    // |2g − g| / |2g|, wherever g is above the floor
    assertThat(r.entries().get(1).tensor()).isEqualTo("a");
    assertThat(r.entries().get(1).error()).isCloseTo(0.5, within(2e-3));
    assertThat(r.entries().get(1).analytic() / r.entries().get(1).numeric())
        .isCloseTo(2, within(1e-2));
    assertThat(r.entries().get(0).error()).as("the input gradient is right").isLessThan(1e-3);
    assertThat(r.worstError()).isCloseTo(0.5, within(2e-3));
    assertThat(r.toString()).contains("a              worst error 5.0").endsWith("FAIL");
  }

  @Test
  void theInputGradientIsCheckedEvenWhenTheLayerWasToldToSkipIt() {
    Affine first = new Affine(3, new Rng(1));
    first.setInputGradientNeeded(false); // as Sequential does to its first layer
    GradientChecker.Report r = new GradientChecker().check(first, input(2, 3, 2), null, new Rng(3));
    assertThat(r.passed()).as(r.toString()).isTrue();
    assertThat(r.entries().get(0).tensor()).isEqualTo("input");
  }

  @Test
  void aKinkWithinEpsilonIsNotMistakenForAWrongGradient() {
    // ReLU exactly at its kink and 0.004 either side of it, with ε = 0.01
    Tensor x = Tensor.of(1, 5, 0f, 0.004f, -0.004f, 0.5f, -0.5f);
    GradientChecker.Report r =
        new GradientChecker().check(new KinkAndBowl(5, 0), x, null, new Rng(3));
    assertThat(r.passed()).as(r.toString()).isTrue();
    assertThat(r.worstError()).isLessThan(1e-4);
  }

  @Test
  void everyKinkIsRecognisedWhateverTheWeightOfItsElementInTheObjective() {
    // 60 elements at the kink, weighted by 60 random R: small ones give small differences, which
    // must still be read as a kink, not as a wrong gradient
    GradientChecker.Report r =
        new GradientChecker().check(new KinkAndBowl(60, 0), new Tensor(1, 60), null, new Rng(3));
    assertThat(r.passed()).as(r.toString()).isTrue();
  }

  @Test
  void curvatureNextToAKinkIsCheckedCloserUp() {
    // y = relu(x) + 5x² at x = 0.004: the central difference straddles the kink and the one-sided
    // ones are off by the curvature (1.09 and 0.59 against 1.04); ε/16 sees only the right side
    Tensor x = Tensor.of(1, 1, 0.004f);
    GradientChecker.Report r =
        new GradientChecker().check(new KinkAndBowl(1, 5), x, null, new Rng(3));
    assertThat(r.passed()).as(r.toString()).isTrue();
    assertThat(r.worstError()).isLessThan(1e-3);
  }

  @Test
  void aWrongGradientNextToAKinkIsStillCaught() {
    KinkAndBowl wrong = new KinkAndBowl(1, 0);
    wrong.wrongOnTheLeft = true;
    // at −0.004 the slopes are 0 left and 0.6 right of the point; the analytic 1 matches neither
    // (errors are relative: 0.4 whatever the random weight R of the objective Σ y·R)
    GradientChecker.Report r =
        new GradientChecker().check(wrong, Tensor.of(1, 1, -0.004f), null, new Rng(1));
    assertThat(r.passed()).isFalse();
    assertThat(r.worstError()).isCloseTo(0.4, within(1e-3));
    // and away from the kink it is plainly wrong
    r = new GradientChecker().check(wrong, Tensor.of(1, 1, -0.5f), null, new Rng(3));
    assertThat(r.worstError()).isCloseTo(1.0, within(1e-6));
  }

  @Test
  void aStochasticLayerIsCheckedWithItsDrawHeldThenReleased() {
    Coin coin = new Coin(6, new Rng(5));
    GradientChecker.Report r = new GradientChecker().check(coin, input(2, 6, 2), null, new Rng(3));
    assertThat(r.passed()).as(r.toString()).isTrue();
    assertThat(coin.held()).as("released after the check").isFalse();
  }

  @Test
  void aWholeModelIsCheckedParameterByParameterWithItsDrawsHeldThenReleased() {
    Coin coin = new Coin(3, new Rng(5));
    Affine first = new Affine(3, new Rng(1));
    Affine second = new Affine(3, new Rng(2));
    Sequential model = new Sequential(List.of(first, coin, second, new HalfSquaredError(3)));
    GradientChecker.Report r =
        new GradientChecker().check(model, input(4, 3, 2), new int[] {0, 1, 2, 1}, new Rng(3));
    assertThat(r.passed()).as(r.toString()).isTrue();
    assertThat(r.entries())
        .extracting(GradientChecker.Entry::tensor)
        .containsExactly("layers.0.a", "layers.0.b", "layers.2.a", "layers.2.b");
    assertThat(coin.held()).isFalse();

    second.wrongWeightGradient = 3f;
    r = new GradientChecker().check(model, input(4, 3, 2), new int[] {0, 1, 2, 1}, new Rng(3));
    assertThat(r.passed()).isFalse();
    assertThat(r.entries().get(2).error()).as("|3g − g| / |3g|").isCloseTo(2.0 / 3, within(2e-3));
    assertThat(r.entries().get(0).error()).isLessThan(1e-2);
  }

  @ParameterizedTest(name = "wrong element {0}")
  @ValueSource(ints = {0, 1, 2, 3, 4, 5})
  void upToTheLimitEveryElementIsChecked(int wrongElement) {
    Affine layer = new Affine(3, new Rng(1));
    layer.wrongInputElement = wrongElement;
    GradientChecker checker = new GradientChecker(1e-2, 1e-2, 1e-2, 6); // 6 = the input's size
    GradientChecker.Report r = checker.check(layer, input(2, 3, 2), null, new Rng(3));
    assertThat(r.passed()).isFalse();
    assertThat(r.entries().get(0).index()).isEqualTo(wrongElement);
    assertThat(r.entries().get(0).error()).isCloseTo(0.5, within(2e-3));
  }

  /** Counts forward passes: the checker runs two per element it perturbs. */
  private static final class Counting extends Affine {
    int forwards;

    Counting(int n) {
      super(n, new Rng(1));
    }

    @Override
    public Tensor forward(Tensor input, Mode mode) {
      forwards++;
      return super.forward(input, mode);
    }
  }

  @Test
  void aboveTheLimitARandomSampleOfThatManyElementsIsChecked() {
    Counting layer = new Counting(50);
    layer.wrongWeightGradient = 1.5f;
    GradientChecker checker = new GradientChecker(1e-2, 1e-2, 1e-2, 5);
    GradientChecker.Report r = checker.check(layer, input(4, 50, 2), null, new Rng(3));
    // one pass for backward; per tensor one at the centre, 2 per element, one to restore; and 2
    // more for each of the 5 weights, whose wrong gradient fails and is tried again over 4ε
    assertThat(layer.forwards).isEqualTo(1 + 3 * (1 + 2 * 5 + 1) + 2 * 5);
    List<Integer> indices = r.entries().stream().map(GradientChecker.Entry::index).toList();
    assertThat(indices).allMatch(i -> i >= 0 && i < 200);
    assertThat(indices.get(0)).as("a sample, not the first elements").isGreaterThan(4);
    assertThat(r.entries().get(1).error()).isCloseTo(1.0 / 3, within(2e-3));
  }

  @Test
  void anEmptyInputHasNothingToCheck() {
    Layer layer = new Affine(2, new Rng(1));
    GradientChecker.Report r =
        new GradientChecker().check(layer, new Tensor(0, 2), null, new Rng(3));
    assertThat(r.entries().get(0)).isEqualTo(new GradientChecker.Entry("input", -1, 0, 0, 0));
    assertThat(r.passed()).isTrue();
  }

  // A backward pass must write its gradients, not add to them: a layer that adds passes a check
  // of one call (its first gradient is right) but trains on the sum of every step's gradients.

  @Test
  void aLayerThatAddsToItsParameterGradientFailsNamingTheParameter() {
    Affine adds = new Affine(4, new Rng(1), "gain", "bias");
    adds.addsToWeightGradient = true;
    GradientChecker.Report r = new GradientChecker().check(adds, input(3, 4, 2), null, new Rng(3));
    assertThat(r.worstError()).as("the first call's gradients are right").isLessThan(1e-3);
    assertThat(r.passed()).isFalse();
    assertThat(r.failures())
        .containsExactly(
            "parameter gain: backward adds to its gradient instead of writing it (second call gave"
                + " 2.0× the first); Layer.backward must overwrite Parameter.grad()");
    assertThat(r.failed("gain")).isTrue();
    assertThat(r.failed("bias")).isFalse();
    assertThat(r.failed("input")).isFalse();
    assertThat(r.toString())
        .contains("parameter gain: backward adds to its gradient instead of writing it")
        .endsWith("FAIL");
  }

  @Test
  void aLayerThatAddsToAGradientItHeldBeforeIsCaughtToo() {
    Affine adds = new Affine(4, new Rng(1), "gain", "bias");
    adds.addsToWeightGradient = true;
    adds.parameters().get(0).grad().data()[0] = 5f; // left over from an earlier step
    GradientChecker.Report r = new GradientChecker().check(adds, input(3, 4, 2), null, new Rng(3));
    assertThat(r.passed()).isFalse();
    assertThat(r.failures())
        .contains(
            "parameter gain: backward adds to its gradient instead of writing it (second call added"
                + " the same amount again); Layer.backward must overwrite Parameter.grad()");
  }

  @Test
  void aLayerThatAddsToItsInputGradientFailsNamingTheInputGradient() {
    Affine adds = new Affine(4, new Rng(1));
    adds.addsToInputGradient = true;
    GradientChecker.Report r = new GradientChecker().check(adds, input(3, 4, 2), null, new Rng(3));
    assertThat(r.passed()).isFalse();
    assertThat(r.failures())
        .containsExactly(
            "input gradient: backward adds to the input gradient instead of writing it (second"
                + " call gave 2.0× the first); Layer.backward must overwrite the tensor it returns");
  }

  @Test
  void aCorrectLayerRepeatsItsGradientsWhateverTheyHeldBefore() {
    Affine layer = new Affine(4, new Rng(1), "gain", "bias");
    layer.parameters().get(0).grad().data()[0] = 5f;
    layer.parameters().get(1).grad().data()[3] = -7f;
    GradientChecker.Report r = new GradientChecker().check(layer, input(3, 4, 2), null, new Rng(3));
    assertThat(r.passed()).as(r.toString()).isTrue();
    assertThat(r.secondCalls()).isEmpty();
    assertThat(r.failures()).isEmpty();
  }

  @Test
  void aSecondCallThatDiffersOtherwiseIsReportedWithTheElementThatDiffers() {
    Affine drifts =
        new Affine(2, new Rng(1)) {
          int calls;

          @Override
          public Tensor backward(Tensor dy) {
            Tensor dx = super.backward(dy);
            if (++calls == 2) {
              dx.data()[3] += 0.5f;
            }
            return dx;
          }
        };
    Tensor x = input(2, 2, 2);
    GradientChecker.Report r = new GradientChecker().check(drifts, x, null, new Rng(3));
    assertThat(r.passed()).isFalse();
    GradientChecker.SecondCall c = r.secondCalls().get(0);
    assertThat(c.tensor()).isEqualTo("input");
    assertThat(c.added()).isFalse();
    assertThat(c.index()).isEqualTo(3);
    assertThat(c.second() - c.first()).isCloseTo(0.5, within(1e-6));
    assertThat(r.failures())
        .singleElement()
        .asString()
        .startsWith("input gradient: a second backward on the same input gave a different gradient")
        .contains("at [3] first ")
        .endsWith("Layer.backward must depend only on the last forward pass and its gradOutput");
  }

  @Test
  void aWrongParameterGradientIsReportedByTheParameterName() {
    Affine wrong = new Affine(4, new Rng(1), "gain", "bias");
    wrong.wrongWeightGradient = 2f;
    GradientChecker.Report r = new GradientChecker().check(wrong, input(3, 4, 2), null, new Rng(3));
    assertThat(r.passed()).isFalse();
    assertThat(r.secondCalls()).as("it writes its gradient, wrongly").isEmpty();
    GradientChecker.Entry gain = r.entries().get(1);
    assertThat(r.failures())
        .containsExactly(
            String.format(
                Locale.ROOT,
                "parameter gain: backward disagrees with central differences (error %.2e > 1e-02"
                    + " at gain[%d]: analytic %.6g, numeric %.6g)",
                gain.error(),
                gain.index(),
                gain.analytic(),
                gain.numeric()));
    assertThat(r.failed("gain")).isTrue();
    assertThat(r.failed("bias")).isFalse();
  }

  @Test
  void aWrongInputGradientIsReportedAsTheInputGradient() {
    Affine wrong = new Affine(3, new Rng(1), "gain", "bias");
    wrong.wrongInputElement = 4;
    GradientChecker.Report r = new GradientChecker().check(wrong, input(2, 3, 2), null, new Rng(3));
    assertThat(r.failures())
        .singleElement()
        .asString()
        .startsWith("input gradient: backward disagrees with central differences (error 5.0")
        .contains("at input[4]");
  }

  @Test
  void aWholeModelWithALayerThatAddsToItsGradientFailsNamingTheParameter() {
    Affine adds = new Affine(3, new Rng(2), "gain", "bias");
    adds.addsToWeightGradient = true;
    Sequential model =
        new Sequential(List.of(new Affine(3, new Rng(1)), adds, new HalfSquaredError(3)));
    GradientChecker.Report r =
        new GradientChecker().check(model, input(4, 3, 2), new int[] {0, 1, 2, 1}, new Rng(3));
    assertThat(r.worstError()).isLessThan(1e-2);
    assertThat(r.failures())
        .containsExactly(
            "parameter layers.1.gain: backward adds to its gradient instead of writing it (second"
                + " call gave 2.0× the first); Layer.backward must overwrite Parameter.grad()");
  }

  /** y = 3x, whose backward turns the upstream gradient into its own, in place. */
  private static final class TripleInPlace extends ElementwiseLayer {
    private Tensor y;

    TripleInPlace() {
      super(3);
    }

    @Override
    public Tensor forward(Tensor input, Mode mode) {
      y = Tensor.reuse(y, input.rows(), 3);
      for (int i = 0; i < input.size(); i++) {
        y.data()[i] = 3 * input.data()[i];
      }
      return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
      for (int i = 0; i < dy.size(); i++) {
        dy.data()[i] *= 3; // allowed: Sequential never reads an upstream gradient again
      }
      return dy;
    }

    @Override
    public String typeName() {
      return "triple_in_place";
    }
  }

  @Test
  void aLayerThatWritesItsInputGradientOverTheUpstreamGradientPasses() {
    GradientChecker.Report r =
        new GradientChecker().check(new TripleInPlace(), input(2, 3, 2), null, new Rng(3));
    assertThat(r.passed()).as(r.toString()).isTrue();
  }

  @ParameterizedTest(name = "in {0}")
  @ValueSource(strings = {"forward", "backward"})
  void aLayerThatThrowsIsNamedByItsOriginAndPassWhenOneIsGiven(String pass) {
    Faulty faulty = new Faulty(pass.equals("forward"));
    Class<? extends RuntimeException> thrown =
        pass.equals("forward") ? ArithmeticException.class : IllegalStateException.class;
    LayerOrigin origin = new LayerOrigin("model.layers[1]", "faulty", "faulty-1.0.jar");
    LayerFailedException e =
        catchThrowableOfType(
            () -> new GradientChecker().check(faulty, origin, input(2, 3, 2), null, new Rng(3)),
            LayerFailedException.class);
    assertThat(e)
        .hasMessageStartingWith(
            "model.layers[1] faulty (from faulty-1.0.jar) failed in " + pass + ": ")
        .hasCauseInstanceOf(thrown);
    assertThat(e.origin()).isEqualTo(origin);
    // without an origin, what the layer threw comes out as it is
    assertThatThrownBy(() -> new GradientChecker().check(faulty, input(2, 3, 2), null, new Rng(3)))
        .isInstanceOf(thrown);
  }
}
