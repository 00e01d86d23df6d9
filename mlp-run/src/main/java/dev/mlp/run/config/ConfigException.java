package dev.mlp.run.config;

/**
 * A config that cannot be used, with everything a one-line message needs: the file, the line and
 * column when known, the config path, and what was wrong.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
