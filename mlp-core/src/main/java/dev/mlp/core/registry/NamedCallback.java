package dev.mlp.core.registry;

import dev.mlp.core.nn.LayerFailedException;
import dev.mlp.core.nn.LayerOrigin;
import dev.mlp.core.train.EpochMetrics;
import dev.mlp.core.train.Trainer;
import dev.mlp.core.train.TrainingListener;

/** A registered callback whose exceptions name it: its config path, type and plugin jar. */
final class NamedCallback implements TrainingListener {
  private final TrainingListener callback;
  private final LayerOrigin origin;

  NamedCallback(TrainingListener callback, LayerOrigin origin) {
    this.callback = callback;
    this.origin = origin;
  }

  @Override
  public void onStep(StepProgress progress) {
    try {
      callback.onStep(progress);
    } catch (RuntimeException | LinkageError e) {
      throw new LayerFailedException(origin, "in onStep", e);
    }
  }

  @Override
  public void onEpoch(EpochMetrics metrics, boolean improved) {
    try {
      callback.onEpoch(metrics, improved);
    } catch (RuntimeException | LinkageError e) {
      throw new LayerFailedException(origin, "in onEpoch", e);
    }
  }

  @Override
  public void onTrainEnd(Trainer.Outcome outcome) {
    try {
      callback.onTrainEnd(outcome);
    } catch (RuntimeException | LinkageError e) {
      throw new LayerFailedException(origin, "in onTrainEnd", e);
    }
  }
}
