package dev.mlp.core.train;

/**
 * A callback of the training loop (as Keras' callbacks, Lightning's hooks): it hears a run as it
 * goes, after every step (progress bars, step logs), after every epoch (metrics logs, checkpoints)
 * and at the end. The loop itself only does batches, forward, backward and the optimizer step; what
 * surrounds it is callbacks: the built-in {@code BestEpoch} (validation, best weights, early
 * stopping) and the divergence checks in core, the metrics log and checkpoints of a run ({@code
 * TrainingSession} in mlp-run), the progress bar and the epoch table of the command line. Runs on
 * the training thread, so a slow callback slows training; an exception thrown by one ends the
 * training with it.
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

  /**
   * After the last epoch, once the kept weights are in the model (not after a stop request or an
   * exception).
   */
  default void onTrainEnd(Trainer.Outcome outcome) {}

  /**
   * What a step left behind: the position in the run and the epoch's running figures ({@code
   * runningAccuracy} is NaN for a regression, which has no classes to count).
   */
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
