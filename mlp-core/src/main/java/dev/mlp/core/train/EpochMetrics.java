package dev.mlp.core.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one epoch measured, by name: {@code train} holds the running means over the epoch's batches
 * (as Keras reports them: {@code loss}, and {@code accuracy} for a classifier), {@code test} the
 * figures of a full pass over the test set in evaluation mode after the epoch, {@code validation}
 * those of the held-out part of the training set (empty without one). {@code seconds} is the
 * training time of the epoch, {@code evalSeconds} that of the test pass; {@code learningRate} the
 * rate of the epoch's last step.
 *
 * <p>The measures are named, not fixed fields, so that a regression loss reports its own (a metrics
 * log line is {@code loss}, {@code train_<name>}, {@code test_<name>}, {@code validation_<name>};
 * docs/RUNS.md). Each map keeps the order its measures were given in.
 */
public record EpochMetrics(
    int epoch,
    long steps,
    Map<String, Double> train,
    Map<String, Double> test,
    Map<String, Double> validation,
    double learningRate,
    double seconds,
    double evalSeconds) {

  /** The measure every loss reports. */
  public static final String LOSS = "loss";

  /** The share of samples whose most probable class is the label. */
  public static final String ACCURACY = "accuracy";

  public EpochMetrics {
    train = ordered(train);
    test = ordered(test);
    validation = ordered(validation);
  }

  /** A classifier's epoch: loss and accuracy of each split; NaN validation figures: none held. */
  public EpochMetrics(
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
    this(
        epoch,
        steps,
        lossAndAccuracy(loss, trainAccuracy),
        lossAndAccuracy(testLoss, testAccuracy),
        Double.isNaN(validationAccuracy) && Double.isNaN(validationLoss)
            ? Map.of()
            : lossAndAccuracy(validationLoss, validationAccuracy),
        learningRate,
        seconds,
        evalSeconds);
  }

  /** {@code {loss, accuracy}} in that order. */
  public static Map<String, Double> lossAndAccuracy(double loss, double accuracy) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(LOSS, loss);
    m.put(ACCURACY, accuracy);
    return m;
  }

  private static Map<String, Double> ordered(Map<String, Double> m) {
    return m == null || m.isEmpty()
        ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  /** The running mean training loss of the epoch. */
  public double loss() {
    return train.getOrDefault(LOSS, Double.NaN);
  }

  public double trainAccuracy() {
    return train.getOrDefault(ACCURACY, Double.NaN);
  }

  public double testLoss() {
    return test.getOrDefault(LOSS, Double.NaN);
  }

  public double testAccuracy() {
    return test.getOrDefault(ACCURACY, Double.NaN);
  }

  /** NaN without a validation split. */
  public double validationLoss() {
    return validation.getOrDefault(LOSS, Double.NaN);
  }

  /** NaN without a validation split. */
  public double validationAccuracy() {
    return validation.getOrDefault(ACCURACY, Double.NaN);
  }

  /** Whether a validation split was evaluated (else {@link #validation()} is empty). */
  public boolean hasValidation() {
    return !validation.isEmpty();
  }
}
