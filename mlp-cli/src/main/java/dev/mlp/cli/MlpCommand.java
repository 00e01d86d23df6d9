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
      LayersCommand.class,
      ReportCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 ok, 1 internal error, 2 bad input (config, data, arguments) or output that"
          + " could not be written, 3 training diverged, 4 a gradient check failed, 5 a plugin's"
          + " layer or callback threw, 130 training stopped by Ctrl-C or SIGTERM (saved; resume"
          + " it)."
    })
public final class MlpCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
