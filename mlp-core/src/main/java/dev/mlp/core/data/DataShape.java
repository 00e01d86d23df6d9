package dev.mlp.core.data;

/** The shape of a data set's samples, known before its files are read. */
public record DataShape(int features, int classes) {}
