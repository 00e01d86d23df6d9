package dev.mlp.cli;

import dev.mlp.core.config.ExperimentConfig;
import dev.mlp.core.data.DataShape;
import dev.mlp.core.data.DataSplits;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.registry.Registry;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.run.Experiment;
import dev.mlp.run.config.ConfigLoader;
import dev.mlp.run.config.LoadedConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mlp config ...}: working with config files without training. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Work with config files without training.",
    subcommands = {ConfigCommand.Validate.class})
final class ConfigCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * {@code mlp config validate FILE [--set KEY=VALUE ...] [--epochs N] [--seed N]}: types, fields
   * and shapes of the config as {@code mlp train} would run it with the same overrides, then the
   * model summary.
   */
  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description =
          "Check a config (types, fields, shapes) without training, with --set, --epochs and"
              + " --seed applied as train applies them, and print the resolved model: each layer,"
              + " its output shape and parameter count, and the total.")
  static final class Validate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The YAML config to check.")
    Path file;

    @picocli.CommandLine.Option(names = "--verbose", description = "Print stack traces on errors.")
    boolean verbose;

    @picocli.CommandLine.Mixin OverrideOptions changes;

    @picocli.CommandLine.Mixin PluginOptions plugins;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Registry registry = plugins.registry();
      LoadedConfig loaded = new ConfigLoader(registry).load(file, changes.overrides());
      ExperimentConfig cfg = loaded.config();
      DataShape shape = registry.datasetShape(cfg.data());
      if (shape == null) {
        DataSplits data = registry.dataset(cfg.data(), line -> err.println(line));
        shape = new DataShape(data.featureSize(), data.numClasses());
      }
      Sequential model =
          Experiment.build(registry, loaded, Kernels.defaults(), shape.features(), shape.classes());
      out.printf(
          "%s: OK — %s, data %s (%d features, %d classes), optimizer %s, %d epochs of batch %d%n",
          file,
          cfg.name(),
          registry.nameOf(cfg.data()),
          shape.features(),
          shape.classes(),
          registry.nameOf(cfg.optimizer()),
          cfg.training().epochs(),
          cfg.training().batchSize());
      out.println(model);
      out.flush();
      return ExitCode.OK;
    }
  }
}
