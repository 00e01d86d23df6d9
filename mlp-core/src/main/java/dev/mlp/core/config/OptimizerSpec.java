package dev.mlp.core.config;

/** The configuration of an optimizer, chosen in YAML by its registered type name. */
public interface OptimizerSpec {}
