package dev.mlp.core.registry;

import dev.mlp.core.config.OptimizerSpec;
import dev.mlp.core.optim.Optimizer;
import dev.mlp.core.tensor.Kernels;

/** Builds an optimizer from its spec, computing its updates with the given kernels. */
@FunctionalInterface
public interface OptimizerFactory<S extends OptimizerSpec> {
  Optimizer create(S spec, Kernels kernels);
}
