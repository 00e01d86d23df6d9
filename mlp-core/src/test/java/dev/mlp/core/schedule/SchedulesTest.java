package dev.mlp.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.inject.Guice;
import dev.mlp.core.CoreModule;
import dev.mlp.core.registry.Kind;
import dev.mlp.core.registry.Registry;
import org.junit.jupiter.api.Test;

/** The built-in schedules at points worked out by hand. */
class SchedulesTest {
  static final Registry REGISTRY =
      Guice.createInjector(new CoreModule()).getInstance(Registry.class);

  @Test
  void allFourAreRegistered() {
    assertThat(REGISTRY.names(Kind.SCHEDULE))
        .containsExactly("constant", "cosine", "exponential", "step");
  }

  @Test
  void cosineFallsAlongHalfACosine() {
    Schedule s = REGISTRY.schedule(new ScheduleSpecs.Cosine(null, null));
    assertThat(s.factor(0, 10)).isEqualTo(1.0);
    assertThat(s.factor(5, 10)).isCloseTo(0.5, within(1e-12));
    assertThat(s.factor(2.5, 10))
        .isCloseTo((1 + Math.cos(Math.PI / 4)) / 2, within(1e-12)); // 0.853553
    assertThat(s.factor(10, 10)).isCloseTo(0.0, within(1e-12));
    Schedule floor = REGISTRY.schedule(new ScheduleSpecs.Cosine(0.1, null));
    assertThat(floor.factor(5, 10)).isCloseTo(0.55, within(1e-12));
    assertThat(floor.factor(10, 10)).isCloseTo(0.1, within(1e-12));
  }

  @Test
  void stepDecaysEveryStepEpochs() {
    Schedule s = REGISTRY.schedule(new ScheduleSpecs.Step(2.0, 0.1, null));
    assertThat(s.factor(1.99, 10)).isEqualTo(1.0);
    assertThat(s.factor(2.0, 10)).isCloseTo(0.1, within(1e-12));
    assertThat(s.factor(4.5, 10)).isCloseTo(0.01, within(1e-12));
  }

  @Test
  void exponentialDecaysEveryEpoch() {
    Schedule s = REGISTRY.schedule(new ScheduleSpecs.Exponential(0.5, null));
    assertThat(s.factor(0.9, 10)).isEqualTo(1.0);
    assertThat(s.factor(2.3, 10)).isCloseTo(0.25, within(1e-12));
  }

  @Test
  void constantIsOne() {
    assertThat(REGISTRY.schedule(new ScheduleSpecs.Constant(null)).factor(7, 10)).isEqualTo(1.0);
  }

  @Test
  void badFieldsQuoteTheValue() {
    assertThatThrownBy(() -> new ScheduleSpecs.Step(null, null, null))
        .hasMessage("step_epochs is required (a positive number of epochs), got null");
    assertThatThrownBy(() -> new ScheduleSpecs.Exponential(1.5, null))
        .hasMessage("gamma must be in (0, 1], got 1.5");
    assertThatThrownBy(() -> new ScheduleSpecs.Cosine(null, -1.0))
        .hasMessage("warmup_epochs must be a number >= 0, got -1.0");
  }

  @Test
  void fieldsAcceptTheEdgesOfTheirRanges() {
    assertThat(new ScheduleSpecs.Constant(0.0).warmupEpochs()).isEqualTo(0.0);
    assertThat(new ScheduleSpecs.Constant(1e6).warmupEpochs()).isEqualTo(1e6);
    assertThatThrownBy(() -> new ScheduleSpecs.Constant(1.5e6))
        .hasMessage("warmup_epochs must be a number >= 0, got 1500000.0");
    assertThat(new ScheduleSpecs.Exponential(1.0, null).gamma()).as("no decay").isEqualTo(1.0);
    assertThat(new ScheduleSpecs.Exponential(null, null).gamma()).isEqualTo(0.95);
    assertThatThrownBy(() -> new ScheduleSpecs.Exponential(0.0, null))
        .hasMessage("gamma must be in (0, 1], got 0.0");
    assertThat(new ScheduleSpecs.Cosine(0.0, null).minFactor()).isEqualTo(0.0);
    assertThat(new ScheduleSpecs.Cosine(1.0, null).minFactor()).isEqualTo(1.0);
    assertThatThrownBy(() -> new ScheduleSpecs.Cosine(-0.1, null))
        .hasMessage("min_factor must be in [0, 1], got -0.1");
    assertThat(new ScheduleSpecs.Step(0.5, null, null).gamma()).isEqualTo(0.1);
    assertThatThrownBy(() -> new ScheduleSpecs.Step(0.0, null, null))
        .hasMessage("step_epochs is required (a positive number of epochs), got 0.0");
  }
}
