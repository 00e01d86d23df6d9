package dev.mlp.layers;

import dev.mlp.core.config.WidthPreservingSpec;

/** {@code {type: l1}}: mean absolute error against target values (a regression). */
public record L1Spec() implements WidthPreservingSpec {}
