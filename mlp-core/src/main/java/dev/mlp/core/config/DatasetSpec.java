package dev.mlp.core.config;

/** The configuration of a data set, chosen in YAML by its registered type name. */
public interface DatasetSpec {}
