package dev.mlp.core.config;

/**
 * The configuration of one layer, chosen in YAML by its registered type name. Implementations are
 * small immutable records that validate their fields in their constructor.
 */
public interface LayerSpec {}
