package dev.mlp.core.config;

/**
 * A config that is well-formed but cannot be built: a bad value, shapes that do not chain. Carries
 * the config path (e.g. {@code model.layers[2].inputs}) so the CLI can point at the file, line and
 * column.
 */
public final class SpecException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String path;

  public SpecException(String path, String message) {
    super(message);
    this.path = path;
  }

  public String path() {
    return path;
  }
}
