package dev.mlp.cli;

import dev.mlp.run.config.ConfigException;
import dev.mlp.run.config.ConfigLoader;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --epochs}, {@code --seed} and {@code --set KEY=VALUE}: changes to a config file, shared by
 * the commands that run a config and by {@code config validate}.
 */
final class OverrideOptions {
  @Option(names = "--epochs", paramLabel = "N", description = "Override training.epochs.")
  Integer epochs;

  @Option(names = "--seed", paramLabel = "N", description = "Override seed.")
  Long seed;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override any config value, e.g. --set optimizer.lr=0.1 (repeatable).")
  List<String> sets = new ArrayList<>();

  /** The overrides in the order the config loader applies them: --epochs, --seed, each --set. */
  List<ConfigLoader.Override> overrides() throws ConfigException {
    List<ConfigLoader.Override> overrides = new ArrayList<>();
    if (epochs != null) {
      overrides.add(new ConfigLoader.Override("training.epochs", String.valueOf(epochs)));
    }
    if (seed != null) {
      overrides.add(new ConfigLoader.Override("seed", String.valueOf(seed)));
    }
    for (String s : sets) {
      try {
        overrides.add(ConfigLoader.Override.parse(s));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage());
      }
    }
    return overrides;
  }
}
