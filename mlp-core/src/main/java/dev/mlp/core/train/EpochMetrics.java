package dev.mlp.core.train;

/**
 * What one epoch measured. {@code loss} and {@code trainAccuracy} are running means over the
 * epoch's batches (as Keras reports them); the test figures come from a full pass over the test set
 * in evaluation mode after the epoch. {@code seconds} is the training time of the epoch, {@code
 * evalSeconds} that of the test pass; {@code learningRate} the rate of the epoch's last step. The
 * validation figures come from the part of the training set held out for it (NaN without one).
 */
public record EpochMetrics(
    int epoch,
    long steps,
    double loss,
    double trainAccuracy,
    double testLoss,
    double testAccuracy,
    double seconds,
    double evalSeconds,
    double learningRate,
    double validationLoss,
    double validationAccuracy) {

  /** Whether a validation split was evaluated (else its figures are NaN). */
  public boolean hasValidation() {
    return !Double.isNaN(validationAccuracy);
  }
}
