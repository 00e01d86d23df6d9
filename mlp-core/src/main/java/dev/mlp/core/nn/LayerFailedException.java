package dev.mlp.core.nn;

/**
 * A layer's (or a training callback's) code threw: names it ({@link LayerOrigin}: path, type,
 * plugin) and what it was doing; the exception it threw is the cause. A failure of a plugin's layer
 * is the plugin's fault, not mlp's, and is reported as such.
 */
public final class LayerFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient LayerOrigin origin;

  /**
   * @param during what the layer was doing, e.g. {@code "in forward"}
   */
  public LayerFailedException(LayerOrigin origin, String during, Throwable cause) {
    super(origin.label() + " failed " + during + ": " + cause, cause);
    this.origin = origin;
  }

  public LayerOrigin origin() {
    return origin;
  }

  /** True when the layer came from a plugin jar rather than from mlp itself. */
  public boolean inPlugin() {
    return origin.plugin() != null;
  }
}
