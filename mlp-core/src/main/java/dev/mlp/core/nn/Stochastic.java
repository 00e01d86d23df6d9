package dev.mlp.core.nn;

/**
 * A layer whose training-mode forward pass draws random numbers (dropout). The gradient checker
 * holds the draw fixed while it perturbs inputs, so f is one function.
 */
public interface Stochastic {
  /** While held, forward reuses the last draw instead of drawing again. */
  void holdRandomness(boolean hold);
}
