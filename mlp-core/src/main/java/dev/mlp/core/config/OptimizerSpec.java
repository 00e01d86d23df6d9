package dev.mlp.core.config;

/** The configuration of an optimizer, chosen in YAML by its registered type name. */
public interface OptimizerSpec {

  /**
   * How many numbers of state the optimizer keeps per parameter (momentum 1, Adam 2), for the
   * memory estimate made before a model is built; an optimizer that does not say is counted as 2.
   */
  default int statePerParameter() {
    return 2;
  }
}
