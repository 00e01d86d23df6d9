package dev.mlp.core.optim;

import dev.mlp.core.nn.Parameter;
import java.util.List;

/** Updates parameters from their gradients after each backward pass. */
public interface Optimizer {

  /** One update of every parameter, from the gradients the last backward pass wrote. */
  void step(List<Parameter> parameters);
}
