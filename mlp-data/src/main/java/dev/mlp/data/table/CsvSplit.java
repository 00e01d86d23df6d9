package dev.mlp.data.table;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Where a CSV file can be cut in two so that each part is read by its own FastCSV reader and the
 * two together give exactly what one reader gives for the whole file: a cut just after a line feed
 * that ends a record, so the second part starts a record with FastCSV's parser in its initial
 * state.
 *
 * <p>Bytes are enough: the field separator, the quote, CR and LF are ASCII, and in UTF-8 an ASCII
 * byte is never part of another character (a malformed sequence the decoder replaces never takes in
 * a line feed either), so a cut after a line feed also decodes both parts exactly as the whole. A
 * file whose records before the cut hold no quote and no CR has a record per line feed, counted by
 * the scan ({@link Counts}); any other is walked byte by byte from its start by a copy of the state
 * machine of FastCSV 4.1.0's {@code StrictCsvParser} (quotes only at a field's start, {@code ""}
 * inside quotes, CR, LF and CRLF, and the line numbers it gives), see {@link #walk}.
 *
 * @param bom the bytes of the file's UTF-8 byte-order mark, where the first part starts (0 or 3)
 * @param offset the byte the second part starts at
 * @param records FastCSV's records before it (the header and empty lines included)
 * @param lines the line number FastCSV gives the record at {@code offset}, less one
 */
record CsvSplit(int bom, long offset, long records, long lines) {
  /** Bytes per block of the scan, the granularity of its line-feed counts. */
  static final int BLOCK = 1 << 20;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH = 0x8080808080808080L;
  private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;

  /**
   * What the line-counting pass learns of a file: its line feeds before each block, its first quote
   * or CR, and its first four bytes (for a byte-order mark).
   */
  static final class Counts {
    final int block;
    long newlines;
    long bytes;
    byte last = '\n';
    long firstSpecial = Long.MAX_VALUE; // the first '"' or '\r'
    final byte[] head = new byte[4];
    int headLength;
    long[] newlinesBefore = new long[16]; // per block b: the line feeds in [0, b * BLOCK)
    int blocks;

    Counts(int block) {
      this.block = block;
    }

    /** Counts one block of the file (all but the last exactly {@link #block} bytes). */
    void add(byte[] a, int n) {
      if (blocks == newlinesBefore.length) {
        newlinesBefore = java.util.Arrays.copyOf(newlinesBefore, blocks * 2);
      }
      newlinesBefore[blocks++] = newlines;
      if (bytes == 0) {
        headLength = Math.min(4, n);
        System.arraycopy(a, 0, head, 0, headLength);
      }
      if (firstSpecial != Long.MAX_VALUE) {
        newlines += countNewlines(a, 0, n);
      } else if (countNewlinesSeeingQuoteOrCr(a, n)) {
        for (int i = 0; i < n; i++) {
          if (a[i] == '"' || a[i] == '\r') {
            firstSpecial = bytes + i;
            break;
          }
        }
      }
      if (badUtf8 < 0) {
        checkUtf8(a, n);
      }
      last = a[n - 1];
      bytes += n;
    }

    /**
     * The file offset of its first byte that is not well-formed UTF-8 (as Java's strict decoder
     * judges: no overlong forms, surrogates, or values past U+10FFFF), or -1. Found in the scan, so
     * that a file that is not UTF-8 is said to be so before any of it is parsed, whichever part or
     * read would meet the byte first.
     */
    long badUtf8 = -1;

    private int utf8Pending; // continuation bytes still expected
    private int utf8Low = 0x80; // the range the next continuation byte must be in
    private int utf8High = 0xBF;
    private long utf8Start; // the offset of the sequence being read

    private void checkUtf8(byte[] a, int n) {
      int i = 0;
      if (utf8Pending == 0) { // all ASCII, 8 bytes at a time: nothing to decode
        while (i + 8 <= n && ((long) LONGS.get(a, i) & HIGH) == 0) {
          i += 8;
        }
      }
      for (; i < n; i++) {
        int b = a[i] & 0xFF;
        if (utf8Pending > 0) {
          if (b < utf8Low || b > utf8High) {
            badUtf8 = utf8Start;
            return;
          }
          utf8Pending--;
          utf8Low = 0x80;
          utf8High = 0xBF;
          continue;
        }
        if (b < 0x80) {
          continue;
        }
        utf8Start = bytes + i;
        if (b >= 0xC2 && b <= 0xDF) {
          utf8Pending = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
          utf8Pending = 2;
          utf8Low = b == 0xE0 ? 0xA0 : 0x80; // no overlong form
          utf8High = b == 0xED ? 0x9F : 0xBF; // no surrogate
        } else if (b >= 0xF0 && b <= 0xF4) {
          utf8Pending = 3;
          utf8Low = b == 0xF0 ? 0x90 : 0x80;
          utf8High = b == 0xF4 ? 0x8F : 0xBF; // nothing past U+10FFFF
        } else {
          badUtf8 = utf8Start;
          return;
        }
      }
    }

    /** Whether the file ended inside a UTF-8 sequence (a cut-off character). */
    boolean utf8Unfinished() {
      return utf8Pending > 0;
    }

    /**
     * Adds the line feeds in {@code a[0, n)} to {@link #newlines}, in the same pass as {@link
     * #countNewlines}, and says whether the block holds a '"' or a '\r'.
     */
    private boolean countNewlinesSeeingQuoteOrCr(byte[] a, int n) {
      long count = 0;
      long any = 0;
      int i = 0;
      for (; i + 8 <= n; i += 8) {
        long w = (long) LONGS.get(a, i);
        long x = w ^ (ONES * '\n');
        count += Long.bitCount(~(((x & LOW7) + LOW7) | x) & HIGH);
        long q = w ^ (ONES * '"');
        long r = w ^ (ONES * '\r');
        any |= ((q - ONES) & ~q) | ((r - ONES) & ~r); // a zero byte sets its high bit (not only)
      }
      boolean special = (any & HIGH) != 0;
      for (; i < n; i++) {
        count += a[i] == '\n' ? 1 : 0;
        special |= a[i] == '"' || a[i] == '\r';
      }
      newlines += count;
      return special;
    }

    /**
     * The length of a UTF-8 byte-order mark at the file's start (0 or 3), or -1 when the file
     * starts with another byte-order mark FastCSV would honour (UTF-16 or UTF-32), which a byte cut
     * cannot follow.
     */
    int bom() {
      int b0 = headLength > 0 ? head[0] & 0xFF : -1;
      int b1 = headLength > 1 ? head[1] & 0xFF : -1;
      if (b0 == 0xEF && b1 == 0xBB && headLength > 2 && (head[2] & 0xFF) == 0xBF) {
        return 3;
      }
      if ((b0 == 0xFE && b1 == 0xFF) || (b0 == 0xFF && b1 == 0xFE) || b0 == 0x00) {
        return -1;
      }
      return 0;
    }
  }

  /** The line feeds in {@code a[from, to)}. */
  static long countNewlines(byte[] a, int from, int to) {
    long count = 0;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long x = (long) LONGS.get(a, i) ^ (ONES * '\n');
      // a byte's high bit set unless it is zero, without carries between bytes
      long nonzero = ((x & LOW7) + LOW7) | x;
      count += Long.bitCount(~nonzero & HIGH);
    }
    for (; i < to; i++) {
      count += a[i] == '\n' ? 1 : 0;
    }
    return count;
  }

  /**
   * Where to cut the file at or after byte {@code target}, or null when it cannot be cut there (a
   * UTF-16 or UTF-32 byte-order mark, no record starting after {@code target}, a separator that is
   * not ASCII, a parse error before the cut, which the first part then reports).
   */
  static CsvSplit find(FileChannel ch, Counts counts, char separator, long target)
      throws IOException {
    int bom = counts.bom();
    if (bom < 0
        || separator >= 0x80
        || separator == '\r'
        || separator == '\n'
        || separator == '"') {
      return null;
    }
    long size = counts.bytes;
    target = Math.max(target, bom + 1L);
    if (target >= size) {
      return null;
    }
    // the first line feed at or after target - 1: the cut is just after it
    long lf = nextNewline(ch, target - 1, size);
    if (lf < 0 || lf + 1 >= size) {
      return null;
    }
    long cut = lf + 1;
    if (counts.firstSpecial >= cut) {
      // no quote and no CR before the cut: one record per line feed
      long records = newlinesBefore(ch, counts, cut);
      return new CsvSplit(bom, cut, records, records);
    }
    return walk(ch, bom, size, (byte) separator, target);
  }

  private static long nextNewline(FileChannel ch, long from, long size) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    byte[] a = buf.array();
    for (long at = from; at < size; ) {
      buf.clear();
      int n = ch.read(buf, at);
      if (n <= 0) {
        return -1;
      }
      for (int i = 0; i < n; i++) {
        if (a[i] == '\n') {
          return at + i;
        }
      }
      at += n;
    }
    return -1;
  }

  /** The line feeds in [0, offset): the scan's count up to the block, then the rest counted. */
  private static long newlinesBefore(FileChannel ch, Counts counts, long offset)
      throws IOException {
    int block = (int) (offset / counts.block);
    long count = counts.newlinesBefore[block];
    long from = (long) block * counts.block;
    ByteBuffer buf = ByteBuffer.allocate((int) (offset - from));
    while (buf.hasRemaining()) {
      if (ch.read(buf, from + buf.position()) < 0) {
        throw new IOException("the file shrank while being read");
      }
    }
    return count + countNewlines(buf.array(), 0, buf.position());
  }

  // FastCSV's StrictCsvParser status bits
  private static final int RESET = 0;
  private static final int DATA_FIELD = 1;
  private static final int QUOTED_FIELD = 2;
  private static final int QUOTED_MODE = 4;
  private static final int NEW_FIELD = 8;
  private static final int LAST_CHAR_WAS_CR = 32;

  /**
   * FastCSV's StrictCsvParser (4.1.0, no comments, quote '"') walked over the bytes from {@code
   * from} (the byte-order mark's length): the first record that starts at or after {@code target}
   * with the parser's status reset (after a line feed that ended a record), with the records before
   * it and the lines FastCSV counted for them. Null if there is none, or if the parser would fail
   * first.
   */
  static CsvSplit walk(FileChannel ch, long from, long size, byte separator, long target)
      throws IOException {
    byte[] a = new byte[1 << 16];
    int status = RESET;
    long records = 0;
    long extraLines = 0; // line breaks inside quotes, which FastCSV counts as further lines
    boolean recordStart = true; // the next byte is the first of a record
    boolean clean = true; // ... and the parser's status is reset there, as a new parser's is
    long at = from;
    try (FileBytes in = new FileBytes(ch, from, size)) {
      while (at < size) {
        int n = in.read(a, 0, a.length);
        if (n <= 0) {
          return null;
        }
        for (int i = 0; i < n; i++) {
          if (clean && at + i >= target) {
            return new CsvSplit((int) from, at + i, records, records + extraLines);
          }
          byte c = a[i];
          if (recordStart && status == LAST_CHAR_WAS_CR && c == '\n') {
            // the LF of a CRLF, the first character of the record after the CR: skipped, and the
            // record's content starts after it with the status reset
            status = RESET;
            recordStart = false;
            clean = true;
            continue;
          }
          recordStart = false;
          clean = false;
          if ((status & QUOTED_MODE) != 0) {
            if (c == '"') {
              status &= ~QUOTED_MODE;
            } else if (c == '\r') {
              status |= LAST_CHAR_WAS_CR;
              extraLines++;
            } else if (c == '\n') {
              if ((status & LAST_CHAR_WAS_CR) == 0) {
                extraLines++;
              } else {
                status &= ~LAST_CHAR_WAS_CR;
              }
            }
          } else if (c == separator) {
            status = NEW_FIELD;
          } else if (c == '\r') {
            status = LAST_CHAR_WAS_CR;
            records++;
            recordStart = true;
          } else if (c == '\n') {
            if ((status & LAST_CHAR_WAS_CR) == 0) {
              records++;
              recordStart = true;
              clean = true;
            }
            status = RESET;
          } else if (c == '"' && (status & DATA_FIELD) == 0) {
            status = QUOTED_FIELD | QUOTED_MODE;
          } else if ((status & QUOTED_FIELD) == 0) {
            status = DATA_FIELD;
          } else {
            return null; // a character after a closing quote: FastCSV stops there
          }
        }
        at += n;
      }
    }
    return null;
  }
}
