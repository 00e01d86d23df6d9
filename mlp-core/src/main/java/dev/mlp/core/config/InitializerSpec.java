package dev.mlp.core.config;

/**
 * The configuration of an initializer, chosen in YAML by its registered type name (a bare name such
 * as {@code init: xavier_uniform} is short for {@code init: {type: xavier_uniform}}).
 */
public interface InitializerSpec {}
