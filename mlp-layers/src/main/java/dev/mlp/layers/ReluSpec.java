package dev.mlp.layers;

import dev.mlp.core.config.LayerSpec;

/** {@code {type: relu}}. */
public record ReluSpec() implements LayerSpec {}
