package dev.mlp.core.train;

/**
 * Hears a run as it goes: after every step (progress bars, step logs) and after every epoch
 * (metrics, checkpoints). Runs on the training thread, so a slow listener slows training.
 */
public interface TrainingListener {

  /** After each optimizer step. */
  default void onStep(StepProgress progress) {}

  /**
   * After each epoch's evaluation. {@link Trainer#state()} is the state at the end of this epoch
   * (its best-epoch fields already updated), so this is the place to write a checkpoint.
   *
   * @param improved whether this epoch's validation accuracy is the best so far
   */
  default void onEpoch(EpochMetrics metrics, boolean improved) {}

  /** What a step left behind: the position in the run and the epoch's running figures. */
  record StepProgress(
      int epoch,
      int stepInEpoch,
      int stepsPerEpoch,
      long steps,
      long samplesInEpoch,
      double runningLoss,
      double runningAccuracy,
      double learningRate) {}
}
