package dev.mlp.core.train;

/**
 * Where a run stands, besides its weights and optimizer state: everything a resumed run needs to
 * continue exactly as if it had never stopped.
 *
 * @param epoch epochs completed
 * @param stepInEpoch steps of epoch {@code epoch + 1} completed (0 at an epoch boundary)
 * @param steps optimizer steps since the run began
 * @param lossSum the running loss total (per-sample sum) of the unfinished epoch
 * @param correct the running count of correct predictions in the unfinished epoch
 * @param samples samples seen in the unfinished epoch
 * @param bestEpoch the epoch with the best validation accuracy so far (0: none yet)
 * @param bestAccuracy that validation accuracy (−∞ before the first)
 * @param stalled epochs since the validation accuracy last improved
 * @param stoppedEarly whether early stopping ended the run
 */
public record TrainingState(
    int epoch,
    int stepInEpoch,
    long steps,
    double lossSum,
    long correct,
    long samples,
    int bestEpoch,
    double bestAccuracy,
    int stalled,
    boolean stoppedEarly) {

  /** A run that has not begun. */
  public static TrainingState start() {
    return new TrainingState(0, 0, 0, 0, 0, 0, 0, Double.NEGATIVE_INFINITY, 0, false);
  }

  public TrainingState {
    if (epoch < 0 || stepInEpoch < 0 || steps < 0 || samples < 0 || correct < 0) {
      throw new IllegalArgumentException("a training state counts from 0: " + this);
    }
    if (correct > samples || bestEpoch < 0 || bestEpoch > epoch || stalled < 0) {
      throw new IllegalArgumentException("an inconsistent training state: " + this);
    }
  }
}
