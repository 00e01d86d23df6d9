package dev.mlp.cli;

import dev.mlp.core.config.SpecException;
import dev.mlp.core.nn.LayerFailedException;
import dev.mlp.core.registry.RegistryException;
import dev.mlp.core.train.TrainingDivergedException;
import dev.mlp.run.config.ConfigException;
import dev.mlp.run.folder.RunBusyException;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on stderr and an exit code; the stack trace only with {@code
 * --verbose}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
    // --verbose at any depth: mlp config validate --verbose is two commands down
    boolean verbose = false;
    for (ParseResult r = parseResult; r != null; r = r.subcommand()) {
      verbose |= r.hasMatchedOption("--verbose");
    }
    PrintWriter err = cmd.getErr();
    int code;
    String message;
    if (e instanceof RunBusyException) {
      code = ExitCode.BUSY;
      message = e.getMessage();
    } else if (e instanceof ConfigException
        || e instanceof SpecException
        || e instanceof RegistryException
        || e instanceof IOException) {
      code = ExitCode.BAD_INPUT;
      message = e.getMessage();
    } else if (e instanceof TrainingDivergedException) {
      code = ExitCode.DIVERGED;
      message = e.getMessage();
    } else if (e instanceof LayerFailedException f && f.inPlugin()) {
      code = ExitCode.PLUGIN_FAILED; // the plugin's fault, named with its jar: not an mlp bug
      message = e.getMessage();
    } else {
      code = ExitCode.INTERNAL;
      message =
          "internal error: "
              + (e instanceof LayerFailedException ? e.getMessage() : e)
              + (verbose ? "" : " (run with --verbose for the stack trace)");
    }
    err.println("mlp: error: " + message);
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  static int onUsageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("mlp: error: " + e.getMessage());
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return ExitCode.BAD_INPUT;
  }
}
