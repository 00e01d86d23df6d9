package dev.mlp.cli;

import dev.mlp.core.registry.Registry;
import dev.mlp.run.Modules;
import dev.mlp.run.Plugins;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --plugins DIR}, shared by every command that needs the registry. */
final class PluginOptions {
  @Option(
      names = "--plugins",
      paramLabel = "DIR",
      description =
          "A folder of plugin jars, each adding layers, optimizers, initializers or datasets"
              + " (default: $MLP_PLUGINS).")
  Path plugins;

  /** Every registered type: the built-ins and those of the plugin jars. */
  Registry registry() throws java.io.IOException {
    return Modules.registry(Plugins.load(Plugins.folder(plugins)));
  }
}
