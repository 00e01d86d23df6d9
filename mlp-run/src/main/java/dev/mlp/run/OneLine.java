package dev.mlp.run;

/**
 * Text from outside (a file name, a tensor name, a metadata entry) made safe for one line of
 * output: line breaks and other control characters escaped as in Java source, so a name can neither
 * forge another line nor move the terminal's cursor.
 */
public final class OneLine {
  private OneLine() {}

  /** {@code s} with line breaks and other control characters escaped. */
  public static String escape(String s) {
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
