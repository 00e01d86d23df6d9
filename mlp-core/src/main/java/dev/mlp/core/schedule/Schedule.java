package dev.mlp.core.schedule;

/**
 * A learning-rate schedule: the factor the optimizer's learning rate is multiplied by at a point of
 * training, given in epochs (fractional: step / steps per epoch) out of the total.
 */
@FunctionalInterface
public interface Schedule {
  double factor(double epoch, double totalEpochs);
}
