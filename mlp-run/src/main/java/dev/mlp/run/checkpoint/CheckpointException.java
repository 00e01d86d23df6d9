package dev.mlp.run.checkpoint;

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
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
