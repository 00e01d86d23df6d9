package dev.mlp.layers;

import dev.mlp.core.config.WidthPreservingSpec;

/**
 * {@code {type: mse}}: mean squared error against target values (a regression) or one-hot labels.
 */
public record MseSpec() implements WidthPreservingSpec {}
