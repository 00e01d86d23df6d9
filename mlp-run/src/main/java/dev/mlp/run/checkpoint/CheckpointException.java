package dev.mlp.run.checkpoint;

import dev.mlp.run.OneLine;
import java.io.IOException;

/**
 * A checkpoint file that cannot be used; the message names the file and what is wrong, on one line:
 * control characters that came from the file (in a tensor name, a metadata entry) are shown
 * escaped.
 */
public final class CheckpointException extends IOException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(oneLine(message));
  }

  /** {@code s} with line breaks and other control characters escaped as in Java source. */
  static String oneLine(String s) {
    return OneLine.escape(s);
  }
}
