package dev.mlp.core.registry;

import dev.mlp.core.config.OptimizerSpec;
import dev.mlp.core.optim.Optimizer;

/** Builds an optimizer from its spec. */
@FunctionalInterface
public interface OptimizerFactory<S extends OptimizerSpec> {
  Optimizer create(S spec);
}
