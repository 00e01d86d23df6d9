package com.example.swish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mlp.core.check.GradientChecker;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SwishTest {
  @Test
  void forwardMatchesHandComputedValues() {
    Tensor y = new Swish(3, 1.0).forward(Tensor.of(1, 3, 0, 1, -2), Mode.TRAIN);
    assertThat(y.get(0, 0)).isEqualTo(0f);
    assertThat(y.get(0, 1)).isCloseTo(0.7310586f, within(1e-6f)); // 1 · σ(1)
    assertThat(y.get(0, 2)).isCloseTo(-0.2384058f, within(1e-6f)); // −2 · σ(−2)
  }

  @Test
  void swishBackwardMatchesFiniteDifferences() {
    Rng rng = new Rng(1);
    Tensor x = new Tensor(4, 9);
    for (int i = 0; i < x.size(); i++) {
      x.data()[i] = (float) rng.nextGaussian();
    }
    GradientChecker.Report r = new GradientChecker().check(new Swish(9, 1.5), x, null, rng);
    assertThat(r.passed()).as(r.toString()).isTrue();
  }

  @Test
  void specSurvivesAYamlRoundTrip() throws Exception {
    ObjectMapper yaml =
        YAMLMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
    SwishSpec spec = new SwishSpec(1.5);
    String text = yaml.writeValueAsString(spec);
    assertThat(text).contains("beta: 1.5");
    assertThat(yaml.readValue(text, SwishSpec.class)).isEqualTo(spec);
    assertThat(yaml.readValue("{}", SwishSpec.class)).isEqualTo(new SwishSpec(1.0));
  }

  @Test
  void badBetaIsRejectedWithItsValue() {
    assertThatThrownBy(() -> new SwishSpec(0.0)).hasMessage("beta must be a positive number, got 0.0");
  }
}
