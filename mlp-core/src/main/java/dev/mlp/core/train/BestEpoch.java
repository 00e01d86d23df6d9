package dev.mlp.core.train;

import dev.mlp.core.config.EarlyStopping;
import dev.mlp.core.nn.Parameter;
import dev.mlp.core.nn.Sequential;
import java.util.List;

/**
 * The callback that chooses the weights to keep, by the validation split: after each epoch it
 * scores the validation figures (accuracy for a classifier, −loss for a regressor: higher is
 * better), snapshots the weights when the score improves by more than {@code min_delta} (the first
 * epoch always does), counts the epochs since, and with {@code early_stopping} stops the run after
 * {@code patience} of them. At the end it restores the best snapshot. Without a validation split it
 * does nothing: the last epoch is kept. Its position is part of {@link TrainingState}.
 */
final class BestEpoch implements TrainingListener {
  private final Sequential model;
  private final EarlyStopping earlyStopping;

  private int bestEpoch;
  private double bestScore = Double.NEGATIVE_INFINITY;
  private int stalled;
  private boolean stoppedEarly;
  private float[][] best;

  BestEpoch(Sequential model, EarlyStopping earlyStopping) {
    this.model = model;
    this.earlyStopping = earlyStopping;
  }

  /** The score of an epoch's validation figures: higher is better. */
  static double score(EpochMetrics m) {
    Double accuracy = m.validation().get(EpochMetrics.ACCURACY);
    return accuracy != null ? accuracy : -m.validationLoss();
  }

  /**
   * Scores epoch {@code m}; true if it is the best so far (and its weights were snapshot). Without
   * validation figures, never.
   */
  boolean improved(EpochMetrics m) {
    if (!m.hasValidation()) {
      return false;
    }
    double minDelta = earlyStopping == null ? 0 : earlyStopping.minDelta();
    double score = score(m);
    if (score > bestScore + minDelta || bestEpoch == 0) {
      bestScore = score;
      bestEpoch = m.epoch();
      best = snapshot(best);
      stalled = 0;
      return true;
    }
    if (earlyStopping != null && ++stalled >= earlyStopping.patience()) {
      stoppedEarly = true;
    }
    return false;
  }

  boolean stoppedEarly() {
    return stoppedEarly;
  }

  /**
   * Restores the best epoch's weights if they are not the model's already; returns the epoch whose
   * weights the model holds.
   */
  int keep(int lastEpoch) {
    if (best != null && bestEpoch != lastEpoch) {
      List<Parameter> params = model.parameters();
      for (int i = 0; i < params.size(); i++) {
        System.arraycopy(best[i], 0, params.get(i).value().data(), 0, best[i].length);
      }
      return bestEpoch;
    }
    return lastEpoch;
  }

  /** Continues from a checkpoint's position, with the best epoch's weights (or null). */
  void resume(TrainingState state, float[][] bestWeights) {
    bestEpoch = state.bestEpoch();
    bestScore = state.bestAccuracy();
    stalled = state.stalled();
    stoppedEarly = state.stoppedEarly();
    best = null;
    if (bestWeights != null) {
      best = new float[bestWeights.length][];
      for (int i = 0; i < bestWeights.length; i++) {
        best[i] = bestWeights[i].clone();
      }
    }
  }

  int bestEpoch() {
    return bestEpoch;
  }

  double bestScore() {
    return bestScore;
  }

  int stalled() {
    return stalled;
  }

  private float[][] snapshot(float[][] into) {
    List<Parameter> params = model.parameters();
    float[][] copy = into != null ? into : new float[params.size()][];
    for (int i = 0; i < params.size(); i++) {
      if (copy[i] == null) {
        copy[i] = new float[params.get(i).size()];
      }
      System.arraycopy(params.get(i).value().data(), 0, copy[i], 0, copy[i].length);
    }
    return copy;
  }
}
