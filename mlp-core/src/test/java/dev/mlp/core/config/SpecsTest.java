package dev.mlp.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlp.core.optim.SgdSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The top-level config records: their defaults and the bounds of their fields. */
class SpecsTest {
  private static final DatasetSpec DATA = new DatasetSpec() {};
  private static final ModelSpec MODEL = new ModelSpec(null, List.of(new LayerSpec() {}));

  @Test
  void anExperimentNeedsDataAModelAndAnOptimizerAndDefaultsTheRest() {
    ExperimentConfig c = new ExperimentConfig(null, null, DATA, MODEL, new SgdSpec(0.1), null);
    assertThat(c.name()).isEqualTo("experiment");
    assertThat(c.seed()).isEqualTo(42L);
    assertThat(c.training()).isEqualTo(TrainingSpec.defaults());
    ExperimentConfig named =
        new ExperimentConfig(
            "mine", 7L, DATA, MODEL, new SgdSpec(0.1), new TrainingSpec(3, 8, false, 16));
    assertThat(named.name()).isEqualTo("mine");
    assertThat(named.seed()).isEqualTo(7L);
    assertThat(named.training().epochs()).isEqualTo(3);
    assertThatThrownBy(() -> new ExperimentConfig(null, null, null, MODEL, new SgdSpec(0.1), null))
        .hasMessage("data is required, e.g. data: {type: mnist}");
    assertThatThrownBy(() -> new ExperimentConfig(null, null, DATA, null, new SgdSpec(0.1), null))
        .hasMessage("model is required: model: {layers: [...]}");
    assertThatThrownBy(() -> new ExperimentConfig(null, null, DATA, MODEL, null, null))
        .hasMessage("optimizer is required, e.g. optimizer: {type: sgd, lr: 0.01}");
  }

  @Test
  void trainingDefaultsAreTheSeeds() {
    TrainingSpec d = TrainingSpec.defaults();
    assertThat(List.of(d.epochs(), d.batchSize(), d.evalBatchSize(), d.validation()))
        .containsExactly(10, 32, 1000, 0);
    assertThat(d.shuffle()).isTrue();
    assertThat(d.clipNorm()).isNull();
  }

  @Test
  void trainingCountsRunFromOneToTheirLimit() {
    assertThat(new TrainingSpec(1, 1, null, 1).epochs()).isEqualTo(1);
    assertThat(new TrainingSpec(1_000_000, 1 << 20, null, 1 << 20).batchSize()).isEqualTo(1 << 20);
    assertThatThrownBy(() -> new TrainingSpec(0, null, null, null))
        .hasMessage("epochs must be an integer in [1, 1000000], got 0");
    assertThatThrownBy(() -> new TrainingSpec(1_000_001, null, null, null))
        .hasMessage("epochs must be an integer in [1, 1000000], got 1000001");
    assertThatThrownBy(() -> new TrainingSpec(null, (1 << 20) + 1, null, null))
        .hasMessage("batch_size must be an integer in [1, 1048576], got 1048577");
  }

  @Test
  void clipNormMustBeAPositiveFiniteNumber() {
    assertThat(new TrainingSpec(1, 1, null, 1, null, 0.5).clipNorm()).isEqualTo(0.5);
    assertThatThrownBy(() -> new TrainingSpec(1, 1, null, 1, null, 0.0))
        .hasMessage("clip_norm must be a positive number, got 0.0");
    assertThatThrownBy(() -> new TrainingSpec(1, 1, null, 1, null, Double.POSITIVE_INFINITY))
        .hasMessage("clip_norm must be a positive number, got Infinity");
  }

  @Test
  void aValidationSplitIsANumberOfSamples() {
    assertThat(new TrainingSpec(1, 1, null, 1, null, null, 5, null).validation()).isEqualTo(5);
    assertThatThrownBy(() -> new TrainingSpec(1, 1, null, 1, null, null, -1, null))
        .hasMessage("validation must be a number of samples >= 0, got -1");
  }

  @Test
  void earlyStoppingDefaultsAndBounds() {
    EarlyStopping d = new EarlyStopping(null, null);
    assertThat(d.patience()).isEqualTo(5);
    assertThat(d.minDelta()).isEqualTo(0.0);
    assertThat(new EarlyStopping(1, 0.5).patience()).isEqualTo(1);
    assertThatThrownBy(() -> new EarlyStopping(0, null))
        .hasMessage("patience must be a positive integer, got 0");
    assertThatThrownBy(() -> new EarlyStopping(null, 1.0))
        .hasMessage("min_delta must be in [0, 1), got 1.0");
    assertThatThrownBy(() -> new EarlyStopping(null, -0.1))
        .hasMessage("min_delta must be in [0, 1), got -0.1");
  }

  @Test
  void aModelNeedsLayersAndAPositiveInputWidth() {
    assertThat(new ModelSpec(1, List.of(new LayerSpec() {})).input()).isEqualTo(1);
    assertThatThrownBy(() -> new ModelSpec(0, List.of(new LayerSpec() {})))
        .hasMessage("input must be a positive integer, got 0");
    assertThatThrownBy(() -> new ModelSpec(null, List.of()))
        .hasMessage("layers must list at least one layer, ending with a loss");
    assertThatThrownBy(() -> new ModelSpec(null, null))
        .hasMessage("layers must list at least one layer, ending with a loss");
  }
}
