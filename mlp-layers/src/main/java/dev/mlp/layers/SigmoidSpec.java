package dev.mlp.layers;

import dev.mlp.core.config.LayerSpec;

/** {@code {type: sigmoid}}. */
public record SigmoidSpec() implements LayerSpec {}
