package dev.mlp.core.registry;

import dev.mlp.core.config.InitializerSpec;
import dev.mlp.core.init.Initializer;

/** Builds an initializer from its spec. */
@FunctionalInterface
public interface InitializerFactory<S extends InitializerSpec> {
  Initializer create(S spec);
}
