package dev.mlp.core.init;

import dev.mlp.core.config.InitializerSpec;

/** {@code zeros}. */
public record ZerosSpec() implements InitializerSpec {}
