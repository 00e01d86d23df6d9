package dev.mlp.core.train;

/**
 * The loss became NaN, infinite or larger than its loss's divergence bound, or a weight stopped
 * being finite: training stopped at the first bad step.
 */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrainingDivergedException(String message) {
    super(message);
  }
}
