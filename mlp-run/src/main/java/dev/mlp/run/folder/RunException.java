package dev.mlp.run.folder;

import java.io.IOException;

/**
 * A run folder that cannot be used as asked: a folder that is not a run, a file in it that does not
 * follow docs/RUNS.md, a run that cannot be continued. The message is one line naming the folder or
 * file (and the line when there is one) and what was expected. It is an {@link IOException}, so the
 * CLI reports it as bad input (exit code 2).
 */
public class RunException extends IOException {
  private static final long serialVersionUID = 1L;

  public RunException(String message) {
    super(oneLine(message));
  }

  public RunException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  private static String oneLine(String message) {
    return message.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
