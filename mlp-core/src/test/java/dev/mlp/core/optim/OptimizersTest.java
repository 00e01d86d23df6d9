package dev.mlp.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlp.core.nn.Parameter;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One or two steps of each optimizer on a single weight, against values worked out by hand. */
class OptimizersTest {
  private final Parameter w = new Parameter("weight", Tensor.of(1, 1, 1f));

  private float stepWith(Optimizer o, float gradient) {
    w.grad().data()[0] = gradient;
    o.step(List.of(w));
    return w.value().data()[0];
  }

  @Test
  void sgdWithMomentumAccumulatesTheGradient() {
    Sgd o = new Sgd(new SgdSpec(0.1, 0.9, false, null), Kernels.defaults());
    assertThat(stepWith(o, 0.5f)).isCloseTo(0.95f, within(1e-7f)); // b = 0.5
    assertThat(stepWith(o, 0.5f)).isCloseTo(0.855f, within(1e-7f)); // b = 0.9·0.5 + 0.5
  }

  @Test
  void nesterovLooksAhead() {
    Sgd o = new Sgd(new SgdSpec(0.1, 0.9, true, null), Kernels.defaults());
    assertThat(stepWith(o, 0.5f)).isCloseTo(0.905f, within(1e-7f)); // 0.5 + 0.9·0.5
    assertThat(stepWith(o, 0.5f)).isCloseTo(0.7695f, within(1e-6f)); // 0.5 + 0.9·0.95
  }

  @Test
  void sgdWeightDecayAddsLambdaTimesTheWeight() {
    Sgd o = new Sgd(new SgdSpec(0.1, null, null, 0.1), Kernels.defaults());
    assertThat(stepWith(o, 0.5f)).isCloseTo(0.94f, within(1e-7f)); // 1 − 0.1·(0.5 + 0.1)
  }

  @Test
  void adamTakesTwoHandComputedSteps() {
    Adam o = new Adam(new AdamSpec(0.1, null, null, null, null));
    // m = 0.1, v = 0.001; m̂ = 1, v̂ = 1: a step of lr
    assertThat(stepWith(o, 1f)).isCloseTo(0.9f, within(1e-6f));
    // m = −0.01, v = 0.001999; m̂ = −0.01/0.19 = −0.0526316, v̂ = 1
    assertThat(stepWith(o, -1f)).isCloseTo(0.90526316f, within(1e-6f));
  }

  @Test
  void adamwDecaysTheWeightApartFromTheGradient() {
    Adam o = new Adam(new AdamWSpec(0.1, null, null, null, 0.1));
    // W ← (1 − 0.1·0.1)·1 − 0.1·(m̂ / √v̂ = 1)
    assertThat(stepWith(o, 0.5f)).isCloseTo(0.89f, within(1e-6f));
    assertThat(o).hasToString("adamw(lr=0.1, betas=(0.9, 0.999), weight_decay=0.1)");
  }

  @Test
  void rmspropDividesByTheRootMeanSquare() {
    RmsProp o = new RmsProp(new RmsPropSpec(0.01, null, null, null));
    assertThat(stepWith(o, 0.5f)).isCloseTo(0.9f, within(1e-6f)); // v = 0.0025
    assertThat(stepWith(o, 0.5f)).isCloseTo(0.8291119f, within(1e-6f)); // v = 0.004975
  }

  @Test
  void defaultsAreThoseOfPyTorch() {
    AdamSpec adam = new AdamSpec(null, null, null, null, null);
    assertThat(List.of(adam.lr(), adam.beta1(), adam.beta2(), adam.eps(), adam.weightDecay()))
        .containsExactly(1e-3, 0.9, 0.999, 1e-8, 0.0);
    assertThat(new AdamWSpec(null, null, null, null, null).weightDecay()).isEqualTo(0.01);
    assertThat(new RmsPropSpec(null, null, null, null).alpha()).isEqualTo(0.99);
  }

  @Test
  void badHyperParametersQuoteTheValue() {
    assertThatThrownBy(() -> new SgdSpec(0.1, 1.0, null, null))
        .hasMessage("momentum must be in [0.0, 1.0), got 1.0");
    assertThatThrownBy(() -> new SgdSpec(0.1, null, true, null))
        .hasMessage("nesterov needs a momentum > 0");
    assertThatThrownBy(() -> new AdamSpec(null, 1.5, null, null, null))
        .hasMessage("beta1 must be in [0.0, 1.0), got 1.5");
    assertThatThrownBy(() -> new RmsPropSpec(-1.0, null, null, null))
        .hasMessage("lr must be a positive number up to 1e6, got -1.0");
  }

  private float stepFrom(Optimizer o, float weight, float gradient) {
    w.value().data()[0] = weight;
    return stepWith(o, gradient);
  }

  @Test
  void sgdWeightDecayIsProportionalToTheWeight() {
    Sgd o = new Sgd(new SgdSpec(0.1, null, null, 0.1), Kernels.defaults());
    assertThat(stepFrom(o, 2f, 0.5f)).isCloseTo(1.93f, within(1e-6f)); // 2 − 0.1·(0.5 + 0.1·2)
  }

  @Test
  void adamWithWeightDecayAddsItToTheGradientBeforeTheMoments() {
    // g' = g + λw = −0.05 + 0.1·1 = 0.05 > 0: the first step goes down by lr, against the sign of g
    Adam o = new Adam(new AdamSpec(0.1, null, null, null, 0.1));
    assertThat(stepWith(o, -0.05f)).isCloseTo(0.9f, within(1e-6f));
    assertThat(o).hasToString("adam(lr=0.1, betas=(0.9, 0.999), weight_decay=0.1)");
  }

  @Test
  void adamwDoesNotAddTheDecayToTheGradient() {
    // g = −0.05 alone decides the direction: up by lr, after shrinking w by lr·λ
    Adam o = new Adam(new AdamWSpec(0.1, null, null, null, 0.1));
    assertThat(stepFrom(o, 2f, -0.05f)).isCloseTo(2 * 0.99f + 0.1f, within(1e-6f));
  }

  @Test
  void epsilonDampsTheStepOfAGradientAsSmallAsItself() {
    // first step: lr·g/(|g| + ε) with g = ε = 1e−8: half a step
    Adam adam = new Adam(new AdamSpec(0.1, null, null, 1e-8, null));
    assertThat(stepWith(adam, 1e-8f)).isCloseTo(0.95f, within(1e-5f));
    RmsProp rms = new RmsProp(new RmsPropSpec(0.1, 0.75, 1e-8, null));
    // v = 0.25·g², √v = g/2: lr·g/(g/2 + ε) with g = 2e−8: a step of lr
    assertThat(stepFrom(rms, 1f, 2e-8f)).isCloseTo(0.9f, within(1e-5f));
  }

  @Test
  void rmspropWeightDecayAddsLambdaTimesTheWeight() {
    RmsProp o = new RmsProp(new RmsPropSpec(0.01, 0.5, null, 0.5));
    // d = 0.5 + 0.5·2 = 1.5; v = 0.5·2.25; w = 2 − 0.01·1.5/√1.125 (a first step is lr·√2
    // whatever d is, so the second tells the decay apart):
    // d = 0.5 + 0.5·1.9858578 = 1.4929289; v = 0.5·1.125 + 0.5·d²; w = 1.9858578 − 0.01·d/√v
    assertThat(stepFrom(o, 2f, 0.5f)).isCloseTo(1.9858578f, within(1e-6f));
    assertThat(stepWith(o, 0.5f)).isCloseTo(1.9743291f, within(1e-6f));
  }

  @Test
  void aStatelessOptimizerHasNoStateToSave() {
    Optimizer halve =
        new Optimizer() {
          @Override
          public void step(List<Parameter> parameters) {
            parameters.get(0).value().data()[0] /= 2;
          }

          @Override
          public void setLearningRateFactor(double factor) {}

          @Override
          public double learningRate() {
            return 0;
          }
        };
    assertThat(halve.stateSlots()).isEmpty();
    assertThat(halve.state(List.of(w), 0)).isEmpty();
    halve.setSteps(5);
    assertThat(halve.steps()).isZero();
  }

  @Test
  void theLearningRateFactorScalesTheConfiguredRate() {
    List<Optimizer> all =
        List.of(
            new Sgd(new SgdSpec(0.4, 0.9, false, null), Kernels.defaults()),
            new Adam(new AdamSpec(0.4, null, null, null, null)),
            new RmsProp(new RmsPropSpec(0.4, null, null, null)));
    for (Optimizer o : all) {
      assertThat(o.learningRate()).as("%s", o).isCloseTo(0.4, within(1e-7));
      o.setLearningRateFactor(0.25);
      assertThat(o.learningRate()).as("%s", o).isCloseTo(0.1, within(1e-7));
      o.setLearningRateFactor(0.5);
      assertThat(o.learningRate()).as("not compounded").isCloseTo(0.2, within(1e-7));
    }
    Adam adam = new Adam(new AdamSpec(0.1, null, null, null, null));
    adam.setLearningRateFactor(0.5);
    assertThat(stepWith(adam, 1f)).as("a step of the scaled rate").isCloseTo(0.95f, within(1e-6f));
  }

  @Test
  void stateSlotsAreNamedAsPyTorchNamesThemAndCountSteps() {
    Sgd plain = new Sgd(0.1);
    Sgd momentum = new Sgd(new SgdSpec(0.1, 0.9, false, null), Kernels.defaults());
    Adam adam = new Adam(new AdamSpec(null, null, null, null, null));
    RmsProp rms = new RmsProp(new RmsPropSpec(null, null, null, null));
    assertThat(plain.stateSlots()).isEmpty();
    assertThat(plain.state(List.of(w), 0)).isEmpty();
    assertThat(momentum.stateSlots()).containsExactly("momentum_buffer");
    assertThat(adam.stateSlots()).containsExactly("exp_avg", "exp_avg_sq");
    assertThat(rms.stateSlots()).containsExactly("square_avg");
    for (Optimizer o : List.of(plain, momentum, adam, rms)) {
      assertThat(o.steps()).isZero();
      stepWith(o, 0.5f);
      stepWith(o, 0.5f);
      assertThat(o.steps()).as("%s", o).isEqualTo(2);
      o.setSteps(7);
      assertThat(o.steps()).isEqualTo(7);
      assertThatThrownBy(() -> o.setSteps(-1)).hasMessage("steps must be >= 0, got -1");
      o.setSteps(0);
      assertThat(o.steps()).isZero();
    }
    // the live arrays: after two steps of 0.5, v = 0.01·0.25 + 0.99·0.01·0.25
    assertThat(rms.state(List.of(w), 0)[0][0]).isCloseTo(0.0049750f, within(1e-7f));
    assertThat(momentum.state(List.of(w), 0)[0][0]).isCloseTo(0.95f, within(1e-7f));
    assertThat(adam.state(List.of(w), 0)).hasNumberOfRows(2);
  }

  @Test
  void aMomentumBufferRestoredWithItsStepCountContinuesTheRun() {
    // momentum's first step copies the gradient into the buffer; later steps blend it
    Sgd o = new Sgd(new SgdSpec(0.1, 0.5, false, null), Kernels.defaults());
    o.state(List.of(w), 0)[0][0] = 2f;
    o.setSteps(3);
    assertThat(stepWith(o, 1f)).isCloseTo(1 - 0.1f * (0.5f * 2 + 1), within(1e-7f));
  }

  @Test
  void optimizersDescribeThemselves() {
    assertThat(new Sgd(new SgdSpec(0.1, null, null, 0.01), Kernels.defaults()))
        .hasToString("sgd(lr=0.1, weight_decay=0.01)");
    assertThat(new Sgd(new SgdSpec(0.1, 0.9, false, null), Kernels.defaults()))
        .hasToString("sgd(lr=0.1, momentum=0.9)");
    assertThat(new RmsProp(new RmsPropSpec(0.01, 0.9, null, null)))
        .hasToString("rmsprop(lr=0.01, alpha=0.9)");
  }

  @Test
  void hyperParametersAcceptTheirWholeRange() {
    assertThat(new SgdSpec(1e6).lr()).isEqualTo(1e6);
    assertThatThrownBy(() -> new SgdSpec(1.0000001e6)).hasMessageContaining("got 1000000.1");
    assertThat(new SgdSpec(0.1, 0.0, false, 0.0).momentum()).isEqualTo(0.0);
    assertThatThrownBy(() -> new SgdSpec(0.1, -0.1, null, null))
        .hasMessage("momentum must be in [0.0, 1.0), got -0.1");
    assertThat(new AdamSpec(null, null, null, 1e-300, null).eps()).isEqualTo(1e-300);
    assertThatThrownBy(() -> new AdamSpec(null, null, null, 0.0, null))
        .hasMessage("eps must be a positive number, got 0.0");
    assertThatThrownBy(() -> new RmsPropSpec(null, null, Double.POSITIVE_INFINITY, null))
        .hasMessage("eps must be a positive number, got Infinity");
    assertThatThrownBy(() -> new RmsPropSpec(null, null, Double.NaN, null))
        .hasMessage("eps must be a positive number, got NaN");
  }

  @Test
  void anOptimizerServesOneModel() {
    Adam o = new Adam(new AdamSpec(null, null, null, null, null));
    stepWith(o, 1f);
    Parameter other = new Parameter("weight", Tensor.of(1, 2, 1f, 1f));
    assertThatThrownBy(() -> o.step(List.of(other)))
        .hasMessage("parameter 0 changed size: an optimizer serves one model");
  }
}
