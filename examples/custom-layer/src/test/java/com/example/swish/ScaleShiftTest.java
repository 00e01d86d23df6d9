package com.example.swish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mlp.core.check.GradientChecker;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.Parameter;
import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ScaleShiftTest {
  /** A layer whose gain and shift are no longer 1 and 0, as after some training. */
  private static ScaleShift trained(int size, Rng rng) {
    ScaleShift layer = new ScaleShift(size, 1.0);
    for (Parameter p : layer.parameters()) {
      float[] v = p.value().data();
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) rng.nextGaussian();
      }
    }
    return layer;
  }

  private static Tensor gaussian(int rows, int cols, Rng rng) {
    Tensor x = new Tensor(rows, cols);
    for (int i = 0; i < x.size(); i++) {
      x.data()[i] = (float) rng.nextGaussian();
    }
    return x;
  }

  @Test
  void itHasAGainOfOnesAndAShiftOfZerosEachAVectorOfTheInputWidth() {
    ScaleShift layer = new ScaleShift(4, 1.0);
    assertThat(layer.parameters()).extracting(Parameter::name).containsExactly("gain", "shift");
    Parameter gain = layer.parameters().get(0);
    Parameter shift = layer.parameters().get(1);
    assertThat(gain.shape()).containsExactly(4); // checkpoint: layers.<index>.gain [4]
    assertThat(shift.shape()).containsExactly(4);
    assertThat(gain.value().data()).containsOnly(1f);
    assertThat(shift.value().data()).containsOnly(0f);
    assertThat(new ScaleShift(4, 0.1).parameters().get(0).value().data()).containsOnly(0.1f);
  }

  @Test
  void forwardMatchesHandComputedValues() {
    ScaleShift layer = new ScaleShift(2, 2.0);
    layer.parameters().get(1).value().data()[1] = 0.5f; // shift = [0, 0.5]
    Tensor y = layer.forward(Tensor.of(2, 2, 1, 2, -3, 4), Mode.TRAIN);
    assertThat(y.data()).containsExactly(2f, 4.5f, -6f, 8.5f);
  }

  @Test
  void scaleShiftBackwardMatchesFiniteDifferences() {
    Rng rng = new Rng(3);
    GradientChecker.Report r =
        new GradientChecker().check(trained(9, rng), gaussian(4, 9, rng), null, rng);
    assertThat(r.entries())
        .extracting(GradientChecker.Entry::tensor)
        .containsExactly("input", "gain", "shift");
    assertThat(r.passed()).as(r.toString()).isTrue();
  }

  @Test
  void backwardOverwritesTheGradientsInsteadOfAddingToThem() {
    Rng rng = new Rng(5);
    ScaleShift layer = trained(3, rng);
    Tensor x = gaussian(2, 3, rng);
    Tensor dy = gaussian(2, 3, rng);
    layer.forward(x, Mode.TRAIN);
    layer.backward(dy);
    float[] once = layer.parameters().get(0).grad().data().clone();
    layer.backward(dy); // a second batch with the same numbers: the same gradient, not twice it
    assertThat(layer.parameters().get(0).grad().data()).containsExactly(once);
  }

  @Test
  void specSurvivesAYamlRoundTrip() throws Exception {
    ObjectMapper yaml =
        YAMLMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
    ScaleShiftSpec spec = new ScaleShiftSpec(0.5);
    String text = yaml.writeValueAsString(spec);
    assertThat(text).contains("init_gain: 0.5");
    assertThat(yaml.readValue(text, ScaleShiftSpec.class)).isEqualTo(spec);
  }

  @Test
  void aGainThatIsNotANumberIsRejectedWithItsValue() {
    assertThatThrownBy(() -> new ScaleShiftSpec(Double.NaN))
        .hasMessage("init_gain must be a finite number, got NaN");
  }
}
