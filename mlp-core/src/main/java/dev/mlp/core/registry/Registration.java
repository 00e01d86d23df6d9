package dev.mlp.core.registry;

import com.google.inject.Provider;

/**
 * One registered type: its name in YAML, the spec record it is configured by, the factory that
 * builds it, a one-line description, the module that registered it (named in errors), and the
 * plugin that module came from.
 *
 * @param source the module, e.g. {@code com.example.swish.SwishModule (mlp-swish-1.0.0.jar)}
 * @param plugin the plugin the module came from (its jar's file name, see {@link
 *     MlpModule#plugin()}), blamed when the type fails at run time; null for mlp's own types
 */
public record Registration(
    Kind kind,
    String name,
    Class<?> specType,
    Provider<?> factory,
    String description,
    String source,
    String plugin) {

  /** A type of mlp's own (not from a plugin). */
  public Registration(
      Kind kind,
      String name,
      Class<?> specType,
      Provider<?> factory,
      String description,
      String source) {
    this(kind, name, specType, factory, description, source, null);
  }

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
