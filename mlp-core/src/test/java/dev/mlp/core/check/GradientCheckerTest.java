package dev.mlp.core.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlp.core.nn.Layer;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.nn.ToyLayers.Affine;
import dev.mlp.core.nn.ToyLayers.Coin;
import dev.mlp.core.nn.ToyLayers.HalfSquaredError;
import dev.mlp.core.nn.ToyLayers.KinkAndBowl;
import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checker on layers whose gradients are known: right, wrong by a known amount, at kinks. */
class GradientCheckerTest {
  private static Tensor input(int rows, int cols, long seed) {
    Rng rng = new Rng(seed);
    Tensor t = new Tensor(rows, cols);
    for (int i = 0; i < t.size(); i++) {
      t.data()[i] = (float) rng.nextGaussian();
    }
    return t;
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
    // one pass for backward; per tensor one at the centre, 2 per element, one to restore
    assertThat(layer.forwards).isEqualTo(1 + 3 * (1 + 2 * 5 + 1));
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
}
