package dev.mlp.cli;

import picocli.CommandLine;

/** Entry point of the {@code mlp} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Runs the command line and returns the exit code (0 ok, 1 internal error, 2 bad input, 3
   * diverged).
   */
  public static int run(String... args) {
    return new CommandLine(new MlpCommand())
        .setExecutionExceptionHandler(new ErrorHandler())
        .setParameterExceptionHandler(ErrorHandler::onUsageError)
        .execute(args);
  }
}
