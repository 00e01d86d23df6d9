package dev.mlp.layers;

import dev.mlp.core.config.LayerSpec;

/** {@code {type: mse}}: mean squared error against one-hot targets. */
public record MseSpec() implements LayerSpec {}
