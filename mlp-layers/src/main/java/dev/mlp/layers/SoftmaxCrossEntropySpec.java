package dev.mlp.layers;

import dev.mlp.core.config.WidthPreservingSpec;

/** {@code {type: softmax_cross_entropy}}: the seed's loss; its input width is the class count. */
public record SoftmaxCrossEntropySpec() implements WidthPreservingSpec {}
