package dev.mlp.core.registry;

/** A plugin or module registered something inconsistent: a duplicate name, a missing factory. */
public final class RegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RegistryException(String message) {
    super(message);
  }
}
