package dev.mlp.core.registry;

import dev.mlp.core.config.LayerSpec;
import dev.mlp.core.nn.Layer;

/** Builds a layer from its spec once the width of its input is known. */
@FunctionalInterface
public interface LayerFactory<S extends LayerSpec> {
  Layer create(S spec, LayerContext context);
}
