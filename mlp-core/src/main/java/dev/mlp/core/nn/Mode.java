package dev.mlp.core.nn;

/** Whether a forward pass is part of training (caches for backward, dropout on) or evaluation. */
public enum Mode {
  TRAIN,
  EVAL
}
