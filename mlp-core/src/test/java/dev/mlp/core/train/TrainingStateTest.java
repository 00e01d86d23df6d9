package dev.mlp.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrainingStateTest {
  private static TrainingState state(
      int epoch, int stepInEpoch, long steps, long correct, long samples, int best, int stalled) {
    return new TrainingState(
        epoch, stepInEpoch, steps, 0, correct, samples, best, 0.5, stalled, false);
  }

  @Test
  void aRunThatHasNotBegunIsAllZerosWithNoBestYet() {
    TrainingState s = TrainingState.start();
    assertThat(s.epoch()).isZero();
    assertThat(s.steps()).isZero();
    assertThat(s.samples()).isZero();
    assertThat(s.bestEpoch()).isZero();
    assertThat(s.bestAccuracy()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(s.stoppedEarly()).isFalse();
  }

  @Test
  void countsFromZeroAreAccepted() {
    assertThat(state(0, 0, 0, 0, 0, 0, 0).epoch()).isZero();
    assertThat(state(3, 2, 50, 7, 7, 3, 0).bestEpoch())
        .as("the best epoch may be the last")
        .isEqualTo(3);
  }

  @Test
  void negativeCountsAreRefused() {
    assertThatThrownBy(() -> state(-1, 0, 0, 0, 0, 0, 0))
        .hasMessageStartingWith("a training state counts from 0");
    assertThatThrownBy(() -> state(0, -1, 0, 0, 0, 0, 0))
        .hasMessageStartingWith("a training state counts from 0");
    assertThatThrownBy(() -> state(0, 0, -1, 0, 0, 0, 0))
        .hasMessageStartingWith("a training state counts from 0");
    assertThatThrownBy(() -> state(0, 0, 0, -1, 0, 0, 0))
        .hasMessageStartingWith("a training state counts from 0");
    assertThatThrownBy(() -> state(0, 0, 0, 0, -1, 0, 0))
        .hasMessageStartingWith("a training state counts from 0");
  }

  @Test
  void inconsistentFiguresAreRefused() {
    assertThatThrownBy(() -> state(1, 0, 5, 8, 7, 0, 0))
        .as("more correct than seen")
        .hasMessageStartingWith("an inconsistent training state");
    assertThatThrownBy(() -> state(1, 0, 5, 0, 0, 2, 0))
        .as("a best epoch not yet trained")
        .hasMessageStartingWith("an inconsistent training state");
    assertThatThrownBy(() -> state(1, 0, 5, 0, 0, -1, 0))
        .hasMessageStartingWith("an inconsistent training state");
    assertThatThrownBy(() -> state(1, 0, 5, 0, 0, 0, -1))
        .hasMessageStartingWith("an inconsistent training state");
  }

  @Test
  void epochMetricsHaveValidationFiguresOnlyWithASplit() {
    EpochMetrics without =
        new EpochMetrics(1, 10, 0.5, 0.8, 0.6, 0.7, 1, 0.1, 0.01, Double.NaN, Double.NaN);
    EpochMetrics with = new EpochMetrics(1, 10, 0.5, 0.8, 0.6, 0.7, 1, 0.1, 0.01, 0.4, 0.9);
    assertThat(without.hasValidation()).isFalse();
    assertThat(with.hasValidation()).isTrue();
  }
}
