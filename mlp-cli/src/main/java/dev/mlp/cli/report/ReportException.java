package dev.mlp.cli.report;

import java.io.IOException;

/**
 * A report that cannot be made: a folder that is not a run, a file that does not follow {@code
 * docs/RUNS.md}, or an output folder that cannot be written. The message is one line naming the
 * file (and the line when there is one) and what was expected. It is an {@link IOException}, so the
 * CLI reports it as bad input (exit code 2).
 */
public final class ReportException extends IOException {
  private static final long serialVersionUID = 1L;

  public ReportException(String message) {
    super(oneLine(message));
  }

  public ReportException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  private static String oneLine(String message) {
    return message.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
