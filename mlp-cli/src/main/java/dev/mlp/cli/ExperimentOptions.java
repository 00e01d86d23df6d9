package dev.mlp.cli;

import dev.mlp.core.registry.Registry;
import dev.mlp.run.Experiment;
import dev.mlp.run.config.ConfigException;
import dev.mlp.run.config.ConfigLoader;
import dev.mlp.run.config.LoadedConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every command that runs a config shares. */
final class ExperimentOptions {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "The YAML config, e.g. configs/mnist-2layer.yaml.")
  Path config;

  @picocli.CommandLine.Mixin OverrideOptions changes;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "Threads to compute with (default: the cores available, here ${sys:mlp.cores})."
              + " Results are the same bits for any N.")
  Integer threads;

  @Option(names = "--verbose", description = "Print stack traces on errors.")
  boolean verbose;

  @picocli.CommandLine.Mixin PluginOptions plugins;

  static {
    System.setProperty("mlp.cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
  }

  int threadCount() throws ConfigException {
    int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (n < 1 || n > 256) {
      throw new ConfigException("--threads must be between 1 and 256, got " + n);
    }
    return n;
  }

  /** The config of {@code --config} with the overrides, or a one-line error if none is given. */
  LoadedConfig load(Registry registry) throws IOException, ConfigException {
    if (config == null) {
      throw new ConfigException(
          "--config FILE is required, e.g. --config configs/mnist-2layer.yaml");
    }
    return new ConfigLoader(registry).load(config, overrides());
  }

  /** Everything but training, data-set messages on {@code log}, no progress bars. */
  Experiment prepare(PrintWriter log) throws IOException, ConfigException {
    Registry registry = plugins.registry();
    return Experiment.prepare(registry, load(registry), threadCount(), new DataLog(log, false));
  }

  /** --epochs, --seed and each --set, in that order. */
  List<ConfigLoader.Override> overrides() throws ConfigException {
    return changes.overrides();
  }
}
