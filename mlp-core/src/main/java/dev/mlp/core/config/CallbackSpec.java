package dev.mlp.core.config;

/**
 * The spec of a training callback ({@code training.callbacks: [{type: NAME, ...}]}): a record
 * registered with {@code MlpModule.callback}, like every other kind.
 */
public interface CallbackSpec {}
