package dev.mlp.core.registry;

import com.google.inject.Provider;
import java.util.Objects;

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

  // equals and hashCode are written out, with the record's meaning: Guice puts every registration
  // into a hash set at start-up, and a record's generated ones are linked through method handles
  // on first use, which spun 26 classes at run time (a fifth of what a training command spun)

  @Override
  public boolean equals(Object o) {
    return o instanceof Registration r
        && kind == r.kind
        && name.equals(r.name)
        && specType.equals(r.specType)
        && Objects.equals(factory, r.factory)
        && Objects.equals(description, r.description)
        && Objects.equals(source, r.source)
        && Objects.equals(plugin, r.plugin);
  }

  @Override
  public int hashCode() {
    int h = kind.hashCode();
    h = 31 * h + name.hashCode();
    h = 31 * h + specType.hashCode();
    h = 31 * h + Objects.hashCode(factory);
    h = 31 * h + Objects.hashCode(description);
    h = 31 * h + Objects.hashCode(source);
    return 31 * h + Objects.hashCode(plugin);
  }
}
