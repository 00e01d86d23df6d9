package dev.mlp.core.registry;

import com.google.inject.Provider;

/**
 * One registered type: its name in YAML, the spec record it is configured by, the factory that
 * builds it, a one-line description, and the module that registered it (named in errors).
 */
public record Registration(
    Kind kind,
    String name,
    Class<?> specType,
    Provider<?> factory,
    String description,
    String source) {

  public Registration {
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException(
          source + ": type name '" + name + "' must be lower_snake_case ([a-z][a-z0-9_]*)");
    }
    if (!kind.specBase().isAssignableFrom(specType)) {
      throw new IllegalArgumentException(
          source
              + ": spec "
              + specType.getName()
              + " of "
              + kind.label()
              + " '"
              + name
              + "' must implement "
              + kind.specBase().getName());
    }
  }
}
