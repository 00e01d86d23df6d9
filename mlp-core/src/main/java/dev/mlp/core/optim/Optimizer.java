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
}
