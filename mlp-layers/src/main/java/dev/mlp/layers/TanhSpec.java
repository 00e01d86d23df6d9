package dev.mlp.layers;

import dev.mlp.core.config.LayerSpec;

/** {@code {type: tanh}}. */
public record TanhSpec() implements LayerSpec {}
