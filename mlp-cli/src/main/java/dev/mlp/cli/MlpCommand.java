package dev.mlp.cli;

import dev.mlp.cli.report.ReportCommand;
import picocli.CommandLine.Command;

/** {@code mlp}: the top-level command. */
@Command(
    name = "mlp",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Build and train neural networks from YAML configs.",
    footer = {
      "",
      "Exit codes: 0 ok, 1 internal error, 2 bad input (config, data, arguments) or output that"
          + " could not be written, 3 training diverged, 4 a gradient check failed, 5 a plugin's"
          + " layer or callback threw, 6 the run folder is in use by another mlp process, 130"
          + " training stopped by Ctrl-C, 143 by SIGTERM (both saved; resume it), 141 the reader"
          + " of the output went away."
    })
public final class MlpCommand implements Runnable {
  /**
   * The subcommands by name (and alias), in the order help lists them. Each is made only when it is
   * needed: building a command's options by reflection is most of mlp's start-up, so a command line
   * that names one builds that one alone; anything else (help, a typo) builds them all.
   */
  static final java.util.Map<String, java.util.function.Supplier<Object>> SUBCOMMANDS =
      subcommands();

  private static java.util.Map<String, java.util.function.Supplier<Object>> subcommands() {
    java.util.Map<String, java.util.function.Supplier<Object>> m = new java.util.LinkedHashMap<>();
    m.put("train", TrainCommand::new);
    m.put("eval", EvalCommand::new);
    m.put("predict", PredictCommand::new);
    m.put("export", ExportCommand::new);
    m.put("serve", ServeCommand::new);
    m.put("sweep", SweepCommand::new);
    m.put("bench", BenchCommand::new);
    m.put("gradcheck", GradcheckCommand::new);
    m.put("config", ConfigCommand::new);
    m.put("data", DataCommand::new);
    m.put("layers", LayersCommand::new);
    m.put("report", ReportCommand::new);
    return java.util.Collections.unmodifiableMap(m);
  }

  /** The aliases of {@link #SUBCOMMANDS}, each to its command's name. */
  static final java.util.Map<String, String> ALIASES = java.util.Map.of("list", "layers");

  /** The command line for {@code args}: mlp with the subcommand they name, or with all. */
  static picocli.CommandLine commandLine(String... args) {
    picocli.CommandLine cmd = new picocli.CommandLine(new MlpCommand());
    String first = args.length > 0 ? ALIASES.getOrDefault(args[0], args[0]) : "";
    if (SUBCOMMANDS.containsKey(first)) {
      cmd.addSubcommand(SUBCOMMANDS.get(first).get());
    } else if (args.length == 1 && (first.equals("--version") || first.equals("-V"))) {
      return cmd; // the version needs no subcommand
    } else {
      SUBCOMMANDS.values().forEach(s -> cmd.addSubcommand(s.get()));
    }
    return cmd;
  }

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
