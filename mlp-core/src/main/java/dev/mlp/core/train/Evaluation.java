package dev.mlp.core.train;

/** Mean loss and accuracy over a data set. */
public record Evaluation(double loss, double accuracy, int count) {}
