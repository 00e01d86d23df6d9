package dev.mlp.core.optim;

import dev.mlp.core.nn.Parameter;
import java.util.List;

/** Updates parameters from their gradients after each backward pass. */
public interface Optimizer {

  /** One update of every parameter, from the gradients the last backward pass wrote. */
  void step(List<Parameter> parameters);

  /**
   * Scales the configured learning rate for the following steps (a schedule's factor); 1 means the
   * rate as configured.
   */
  void setLearningRateFactor(double factor);

  /** The learning rate the next step uses. */
  double learningRate();

  /**
   * The names of the optimizer's per-parameter state arrays, in PyTorch's words ({@code
   * momentum_buffer}, {@code exp_avg}, {@code exp_avg_sq}, {@code square_avg}); empty for a
   * stateless rule. A checkpoint saves them so a resumed run continues exactly.
   */
  default List<String> stateSlots() {
    return List.of();
  }

  /**
   * The live state arrays of {@code parameters.get(i)}, one per {@link #stateSlots() slot}, each
   * the parameter's size (zeros before the first step). A checkpoint reads them, and a resume
   * overwrites them in place.
   */
  default float[][] state(List<Parameter> parameters, int i) {
    return new float[0][];
  }

  /** Steps taken (Adam's bias correction and SGD's first momentum step depend on it). */
  default long steps() {
    return 0;
  }

  /** Sets the step count when a run is resumed. */
  default void setSteps(long steps) {}
}
