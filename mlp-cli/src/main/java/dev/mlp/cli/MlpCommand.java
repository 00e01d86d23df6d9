package dev.mlp.cli;

import dev.mlp.cli.report.ReportCommand;
import picocli.CommandLine.Command;

/** {@code mlp}: the top-level command. */
@Command(
    name = "mlp",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Build and train neural networks from YAML configs.",
    subcommands = {
      TrainCommand.class,
      EvalCommand.class,
      PredictCommand.class,
      BenchCommand.class,
      GradcheckCommand.class,
      ConfigCommand.class,
      DataCommand.class,
      LayersCommand.class,
      ReportCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 ok, 1 internal error, 2 bad input (config, data, arguments) or output that"
          + " could not be written, 3 training diverged, 4 a gradient check failed, 5 a plugin's"
          + " layer or callback threw, 6 the run folder is in use by another mlp process, 130"
          + " training stopped by Ctrl-C, 143 by SIGTERM (both saved; resume it), 141 the reader"
          + " of the output went away."
    })
public final class MlpCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
