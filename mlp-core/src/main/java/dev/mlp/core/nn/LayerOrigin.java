package dev.mlp.core.nn;

/**
 * Where a layer of a model came from, as errors name it: its config path, its type, and the plugin
 * that supplied it.
 *
 * @param path the config path, e.g. {@code model.layers[1]}
 * @param type the registered type name, e.g. {@code scale_shift}
 * @param plugin the plugin jar the type came from (its file name), or null for mlp's own types
 */
public record LayerOrigin(String path, String type, String plugin) {

  /** {@code model.layers[1] scale_shift (from mlp-swish-1.0.0.jar)}. */
  public String label() {
    return path + " " + type + (plugin == null ? "" : " (from " + plugin + ")");
  }
}
