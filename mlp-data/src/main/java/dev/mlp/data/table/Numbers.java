package dev.mlp.data.table;

/**
 * Decimal numbers read straight from a CSV field's characters, without making a String of each
 * cell: the common forms ({@code 12}, {@code -0.5}, {@code 3.25e-4}: significant digits below 2²⁴
 * and a power of ten within ±10) are computed with one float operation on exact operands, so
 * rounded once, as {@link Float#parseFloat} would; anything else is handed to {@link
 * Float#parseFloat} itself.
 */
final class Numbers {
  /** The value of a cell that is not a number. */
  static final float NOT_A_NUMBER = Float.NaN;

  /** The powers of ten that are exact floats: 10⁰ … 10¹⁰. */
  private static final float[] POW10F = new float[11];

  static {
    float p = 1;
    for (int i = 0; i < POW10F.length; i++) {
      POW10F[i] = p;
      p *= 10;
    }
  }

  private Numbers() {}

  /**
   * The float a cell holds, or NaN when it is not a number (a word, an empty cell). Leading and
   * trailing spaces are allowed; "NaN" and "Infinity" are not numbers here (missing and infinite
   * cells are told apart by {@link #isMissing} and {@link #isInfinite}).
   */
  static float parse(char[] buf, int offset, int len) {
    // the plain form, [-]digits[.digits] with at most 10 characters, here; the rest below. The
    // result is the same: a mantissa below 2^24 and at most 10 decimals is what parseAny computes
    // this way, with the same two float operations
    int end = offset + len;
    if (len == 0 || len > 10) {
      return parseAny(buf, offset, len);
    }
    int i = offset;
    boolean negative = buf[i] == '-';
    if (negative) {
      i++;
    }
    long mantissa = 0;
    int digits = 0;
    int d;
    while (i < end && (d = buf[i] - '0') >= 0 && d <= 9) {
      mantissa = mantissa * 10 + d;
      i++;
      digits++;
    }
    int decimals = 0;
    if (i < end && buf[i] == '.') {
      i++;
      while (i < end && (d = buf[i] - '0') >= 0 && d <= 9) {
        mantissa = mantissa * 10 + d;
        i++;
        decimals++;
      }
    }
    if (i != end || digits + decimals == 0 || mantissa >= 1 << 24) {
      return parseAny(buf, offset, len);
    }
    float v = decimals == 0 ? (float) mantissa : (float) mantissa / POW10F[decimals];
    return negative ? -v : v;
  }

  /** {@link #parse} without its shortcut for the plain form (the tests compare the two). */
  static float parseAny(char[] buf, int offset, int len) {
    int i = offset;
    int end = offset + len;
    while (i < end && buf[i] == ' ') {
      i++;
    }
    while (end > i && buf[end - 1] == ' ') {
      end--;
    }
    if (i == end) {
      return NOT_A_NUMBER;
    }
    int start = i;
    boolean negative = false;
    if (buf[i] == '-' || buf[i] == '+') {
      negative = buf[i] == '-';
      i++;
    }
    long mantissa = 0;
    int digits = 0;
    int scale = 0;
    boolean any = false;
    while (i < end && buf[i] >= '0' && buf[i] <= '9') {
      if (digits < 18) {
        mantissa = mantissa * 10 + (buf[i] - '0');
        if (mantissa != 0) {
          digits++;
        }
      } else {
        scale++;
        digits++;
      }
      any = true;
      i++;
    }
    if (i < end && buf[i] == '.') {
      i++;
      while (i < end && buf[i] >= '0' && buf[i] <= '9') {
        if (digits < 18) {
          mantissa = mantissa * 10 + (buf[i] - '0');
          scale--;
          if (mantissa != 0) {
            digits++;
          }
        } else {
          digits++;
        }
        any = true;
        i++;
      }
    }
    if (!any) {
      return slow(buf, start, end);
    }
    int exponent = 0;
    if (i < end && (buf[i] == 'e' || buf[i] == 'E')) {
      i++;
      boolean negExp = false;
      if (i < end && (buf[i] == '-' || buf[i] == '+')) {
        negExp = buf[i] == '-';
        i++;
      }
      int expDigits = 0;
      while (i < end && buf[i] >= '0' && buf[i] <= '9' && expDigits < 6) {
        exponent = exponent * 10 + (buf[i] - '0');
        expDigits++;
        i++;
      }
      if (expDigits == 0) {
        return NOT_A_NUMBER;
      }
      exponent = negExp ? -exponent : exponent;
    }
    if (i != end) {
      return slow(buf, start, end);
    }
    int e = scale + exponent;
    if (mantissa >= 1 << 24 || e < -10 || e > 10) {
      return slow(buf, start, end); // the fast path would not be exact
    }
    // Clinger's fast path: both operands are exact floats, so one IEEE operation rounds once
    float v = (float) mantissa;
    v = e < 0 ? v / POW10F[-e] : v * POW10F[e];
    return negative ? -v : v;
  }

  private static float slow(char[] buf, int start, int end) {
    String s = new String(buf, start, end - start);
    if (!s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
      return NOT_A_NUMBER;
    }
    return Float.parseFloat(s);
  }

  /** Whether a cell means "no value": empty, or NA, N/A, NaN, null (any case). */
  static boolean isMissing(char[] buf, int offset, int len) {
    String s = new String(buf, offset, len).strip();
    return s.isEmpty()
        || s.equalsIgnoreCase("na")
        || s.equalsIgnoreCase("n/a")
        || s.equalsIgnoreCase("nan")
        || s.equalsIgnoreCase("null");
  }

  /** Whether a cell is an infinity (inf, Infinity, -inf, any case). */
  static boolean isInfinite(char[] buf, int offset, int len) {
    String s = new String(buf, offset, len).strip().toLowerCase(java.util.Locale.ROOT);
    if (s.startsWith("+") || s.startsWith("-")) {
      s = s.substring(1);
    }
    return s.equals("inf") || s.equals("infinity");
  }
}
