package dev.mlp.core.nn;

/**
 * A layer whose training-mode forward pass draws random numbers (dropout). The gradient checker
 * holds the draw fixed while it perturbs inputs, so f is one function.
 */
public interface Stochastic {
  /** While held, forward reuses the last draw instead of drawing again. */
  void holdRandomness(boolean hold);

  /** The state of the layer's random stream, for checkpoints. */
  long randomState();

  /** Continues the layer's random stream from a {@link #randomState()} taken earlier. */
  void setRandomState(long state);
}
