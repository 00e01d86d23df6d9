package dev.mlp.core.train;

/** The loss became NaN or infinite: training stopped at the first bad step. */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrainingDivergedException(String message) {
    super(message);
  }
}
