package dev.mlp.core.train;

import dev.mlp.core.data.Dataset;
import dev.mlp.core.nn.Loss;
import dev.mlp.core.nn.Parameter;
import dev.mlp.core.nn.Sequential;
import java.util.List;

/**
 * The checks that stop a run that has blown up, with a message that says why: a batch loss above
 * the loss's bound or not finite (blaming the data when the batch holds a NaN or infinite feature,
 * else the learning rate), and a non-finite weight after an epoch, before it can reach a
 * checkpoint.
 */
final class Divergence {
  private Divergence() {}

  /**
   * Throws if {@code batchLoss} shows divergence at step {@code step} of epoch {@code epoch}; the
   * batch is rows {@code from .. from + rows} of {@code order} in {@code data}.
   */
  static void checkLoss(
      double batchLoss,
      Loss loss,
      Dataset data,
      int[] order,
      int from,
      int rows,
      int epoch,
      long step,
      double learningRate,
      boolean clipping) {
    if (batchLoss <= loss.divergenceBound()) { // NaN fails every comparison
      return;
    }
    String input = nonFiniteInput(data, order, from, rows);
    if (input != null) {
      throw new TrainingDivergedException(
          "loss became " + batchLoss + " at epoch " + epoch + ", step " + step + ": " + input);
    }
    throw new TrainingDivergedException(
        "loss became "
            + (Double.isFinite(batchLoss) ? String.format("%.6g", batchLoss) : batchLoss)
            + (Double.isFinite(batchLoss)
                ? " (above " + loss.divergenceBound() + ", where a model has blown up)"
                : "")
            + " at epoch "
            + epoch
            + ", step "
            + step
            + ": training diverged; the learning rate ("
            + (float) learningRate
            + ") is likely too high"
            + (clipping ? "" : " (or set training.clip_norm)"));
  }

  /**
   * Before an epoch's weights are handed on (to a checkpoint): every parameter finite. A NaN from
   * the epoch's last step would otherwise reach disk before any loss showed it.
   */
  static void checkWeights(Sequential model, int epoch, long steps) {
    List<Parameter> params = model.parameters();
    for (int i = 0; i < params.size(); i++) {
      float[] w = params.get(i).value().data();
      for (int j = 0, n = params.get(i).size(); j < n; j++) {
        if (!Float.isFinite(w[j])) {
          throw new TrainingDivergedException(
              "parameter "
                  + params.get(i).name()
                  + " ("
                  + i
                  + ") holds "
                  + w[j]
                  + " after epoch "
                  + epoch
                  + ", step "
                  + steps
                  + ": training diverged; the learning rate is likely too high");
        }
      }
    }
  }

  /** Which sample of the batch holds a NaN or infinite feature, if one does. */
  private static String nonFiniteInput(Dataset data, int[] order, int from, int rows) {
    if (data.byteFeatures()) {
      return null; // bytes over a positive finite divisor are all finite
    }
    float[] x = data.features();
    int d = data.featureSize();
    for (int r = 0; r < rows; r++) {
      int sample = order[from + r];
      for (int j = 0; j < d; j++) {
        if (!Float.isFinite(x[sample * d + j])) {
          return "sample "
              + sample
              + " of "
              + data.name()
              + " holds "
              + x[sample * d + j]
              + " at feature "
              + j
              + "; the data, not the training, is broken";
        }
      }
    }
    return null;
  }
}
