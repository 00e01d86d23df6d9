package dev.mlp.core.train;

/**
 * What one epoch measured. {@code loss} and {@code trainAccuracy} are running means over the
 * epoch's batches (as Keras reports them); the test figures come from a full pass over the test set
 * in evaluation mode after the epoch. {@code seconds} is the training time of the epoch, {@code
 * evalSeconds} that of the test pass.
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
    double learningRate) {}
