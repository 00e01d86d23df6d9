package dev.mlp.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import picocli.CommandLine;

/** Entry point of the {@code mlp} command. */
public final class Main {
  private Main() {}

  /**
   * The command as the user typed it, for hints such as "continue with: ./mlp train --resume RUN":
   * the launcher tells it in {@code MLP_COMMAND}; {@code mlp} without it.
   */
  static String command() {
    String typed = System.getenv("MLP_COMMAND");
    return typed == null || typed.isBlank() || typed.contains("\n") ? "mlp" : typed;
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Runs the command line and returns the exit code (0 ok, 1 internal error, 2 bad input, 3
   * diverged).
   */
  public static int run(String... args) {
    CommandLine cmd =
        MlpCommand.commandLine(args)
            .setExecutionExceptionHandler(new ErrorHandler())
            .setParameterExceptionHandler(ErrorHandler::onUsageError);
    // one writer for every subcommand (set here, it is handed down), so its error state is seen
    String encoding = System.getProperty("sun.stdout.encoding");
    WatchedOutput stdout = new WatchedOutput(new FileOutputStream(FileDescriptor.out));
    cmd.setOut(
        new PrintWriter(
            new OutputStreamWriter(
                stdout, encoding != null ? Charset.forName(encoding) : Charset.defaultCharset()),
            true));
    int code;
    try {
      code = cmd.execute(args);
    } catch (OutOfMemoryError e) {
      // what no estimate foresaw (data larger than the heap, a plugin's allocations): one line
      cmd.getErr()
          .println(
              "mlp: error: out of memory (Java may use "
                  + dev.mlp.data.files.InputFiles.bytes(Runtime.getRuntime().maxMemory())
                  + "): give Java more with MLP_JAVA_OPTS=-Xmx..., or use a smaller model, batch"
                  + " or data set");
      cmd.getErr().flush();
      return ExitCode.BAD_INPUT;
    }
    // a PrintWriter keeps a failed write to itself: a full disk or a file size limit would
    // otherwise end in exit 0 with the output cut short
    if (cmd.getOut().checkError() || stdout.failure() != null) {
      if (stdout.brokenPipe()) {
        return ExitCode.BROKEN_PIPE; // the reader left (| head): quietly, as a shell reports it
      }
      cmd.getErr()
          .println(
              "mlp: error: standard output could not be written ("
                  + (stdout.failure() != null ? stdout.failure().getMessage() : "write failed")
                  + "); what was written is incomplete");
      cmd.getErr().flush();
      return code == ExitCode.OK ? ExitCode.BAD_INPUT : code;
    }
    return code;
  }
}
