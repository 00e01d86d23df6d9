package dev.mlp.data.table;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import dev.mlp.data.files.InputFileException;
import dev.mlp.data.files.InputFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One CSV file read into memory by column kind, streaming: the numeric feature columns into one
 * row-major float32 array sized from a first pass that counts the lines (so no cell becomes an
 * object and the array is not grown), the categorical columns as codes into their dictionaries, and
 * the label column as numbers or codes. Parsing (quotes, separators, CRLF, a byte-order mark) is
 * FastCSV's, through its callback API, which hands each field's characters over without a String.
 * Every problem is one line naming the file, the line and the column.
 */
final class CsvTable {
  enum Kind {
    SKIP,
    NUMERIC,
    CATEGORICAL,
    LABEL
  }

  final Path file;
  final List<String> names;
  final Scan scan;
  final Kind[] kinds;
  final int[] slot; // per column: its index among the numeric columns, or the categorical ones

  int rows;
  float[] numeric; // rows × numericColumns, NaN where missing
  final int numericColumns;
  final int[][] codes; // per categorical column: a code per row, -1 where missing
  final List<Dictionary> dictionaries = new ArrayList<>();
  final int labelColumn;
  final boolean numericLabel;
  float[] labelValues; // numeric label: per row, NaN where missing
  int[] labelCodes; // text label: per row, -1 where missing
  final Dictionary labelDictionary = new Dictionary();
  final long[] lineOfRow; // null unless asked: the file line of each row, for messages

  /** Distinct texts of a column, numbered in the order first seen. */
  static final class Dictionary {
    final Map<String, Integer> codes = new HashMap<>();
    final List<String> values = new ArrayList<>();

    int code(char[] buf, int off, int len) {
      String s = new String(buf, off, len).strip();
      Integer c = codes.get(s);
      if (c == null) {
        c = values.size();
        codes.put(s, c);
        values.add(s);
      }
      return c;
    }
  }

  /** What to read: the columns chosen by name, found in the header (or numbered without one). */
  record Layout(
      List<String> names, boolean header, Kind[] kinds, int labelColumn, boolean numericLabel) {}

  private CsvTable(Path file, Scan scan, Layout layout, int capacity) {
    this.file = file;
    this.scan = scan;
    this.names = layout.names();
    this.kinds = layout.kinds();
    this.labelColumn = layout.labelColumn();
    this.numericLabel = layout.numericLabel();
    this.slot = new int[kinds.length];
    int n = 0;
    int c = 0;
    for (int i = 0; i < kinds.length; i++) {
      if (kinds[i] == Kind.NUMERIC) {
        slot[i] = n++;
      } else if (kinds[i] == Kind.CATEGORICAL) {
        slot[i] = c++;
        dictionaries.add(new Dictionary());
      }
    }
    this.numericColumns = n;
    long cells = (long) capacity * n;
    if (cells > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("too many cells");
    }
    this.numeric = new float[(int) cells];
    this.codes = new int[c][capacity];
    if (numericLabel) {
      labelValues = new float[capacity];
    } else {
      labelCodes = new int[capacity];
    }
    this.lineOfRow = new long[capacity];
  }

  /**
   * The first pass: an upper bound on the file's records (its line count), and its SHA-256, which a
   * second thread computes while the records are parsed ({@link #sha256()} waits for it).
   */
  static final class Scan {
    private final long lines;
    private final long bytes;
    private final java.util.concurrent.CompletableFuture<String> sha256;

    Scan(long lines, long bytes, java.util.concurrent.CompletableFuture<String> sha256) {
      this.lines = lines;
      this.bytes = bytes;
      this.sha256 = sha256;
    }

    long lines() {
      return lines;
    }

    long bytes() {
      return bytes;
    }

    String sha256() throws IOException {
      try {
        return sha256.join();
      } catch (java.util.concurrent.CompletionException e) {
        throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
      }
    }
  }

  static Scan scan(Path file) throws IOException {
    InputFiles.requireRegularFile(file, "CSV file");
    long lines = 0;
    long bytes = 0;
    byte last = '\n';
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocate(1 << 22);
      byte[] a = buf.array();
      int n;
      while ((n = ch.read(buf)) > 0) {
        int count = 0;
        for (int i = 0; i < n; i++) {
          count += (a[i] - '\n') == 0 ? 1 : 0;
        }
        lines += count;
        last = a[n - 1];
        bytes += n;
        buf.clear();
      }
    } catch (IOException e) {
      throw new InputFileException(file + ": cannot read: " + InputFiles.reason(e), e);
    }
    if (last != '\n') {
      lines++;
    }
    java.util.concurrent.CompletableFuture<String> sha =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return sha256(file);
              } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
              }
            });
    return new Scan(lines, bytes, sha);
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocate(1 << 20);
      while (ch.read(buf) > 0) {
        buf.flip();
        sha.update(buf);
        buf.clear();
      }
    } catch (IOException e) {
      throw new InputFileException(file + ": cannot read: " + InputFiles.reason(e), e);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** The first two records of the file, as text, for the header and the column kinds. */
  static List<List<String>> head(Path file, char delimiter, int records) throws IOException {
    List<List<String>> out = new ArrayList<>();
    try (CsvReader<de.siegmar.fastcsv.reader.CsvRecord> r =
        reader(delimiter).ofCsvRecord(file, StandardCharsets.UTF_8)) {
      for (var rec : r) {
        out.add(rec.getFields());
        if (out.size() == records) {
          break;
        }
      }
    } catch (CsvParseException | UncheckedIOException e) {
      throw parseError(file, e);
    }
    return out;
  }

  private static CsvReader.CsvReaderBuilder reader(char delimiter) {
    return CsvReader.builder()
        .fieldSeparator(delimiter)
        .skipEmptyLines(true)
        .allowExtraFields(true)
        .allowMissingFields(true)
        .detectBomHeader(true)
        .maxBufferSize(1 << 24);
  }

  static InputFileException parseError(Path file, RuntimeException e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof CellException cell) {
        return new InputFileException(cell.getMessage()); // thrown by our handler, wrapped
      }
    }
    Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
    String m = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    if (cause instanceof java.nio.charset.CharacterCodingException) {
      m = "not UTF-8 text; save the file as UTF-8";
    }
    return new InputFileException(file + ": not a CSV file mlp can read: " + m, cause);
  }

  /**
   * Reads every record of {@code file} by {@code layout}, refusing a record whose field count
   * differs from the header's, a non-number in a numeric column and an infinite number, each naming
   * the line and the column.
   */
  static CsvTable read(Path file, Scan scan, Layout layout, char delimiter) throws IOException {
    long capacity = scan.lines() - (layout.header() ? 1 : 0);
    if (capacity < 1) {
      throw new InputFileException(
          file + ": " + (layout.header() ? "a header and no rows" : "no rows") + " to learn from");
    }
    if (capacity > Integer.MAX_VALUE - 8) {
      throw new InputFileException(file + ": more than 2³¹ rows");
    }
    long numericCount = Arrays.stream(layout.kinds()).filter(k -> k == Kind.NUMERIC).count();
    long need = 4 * capacity * Math.max(1, numericCount) + 8 * capacity;
    Runtime rt = Runtime.getRuntime();
    long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    if (need > free) {
      throw new InputFileException(
          String.format(
              "%s: its %,d rows of %d numeric columns need %s of memory as float32 but Java may"
                  + " use only %s more; give Java more with MLP_JAVA_OPTS=-Xmx...",
              file, capacity, numericCount, InputFiles.bytes(need), InputFiles.bytes(free)));
    }
    CsvTable t = new CsvTable(file, scan, layout, (int) capacity);
    Handler h = t.new Handler(layout.header());
    try (CsvReader<Boolean> r = reader(delimiter).build(h, file, StandardCharsets.UTF_8)) {
      for (Boolean ignored : r) {
        // each record is stored by the handler
      }
    } catch (CsvParseException | UncheckedIOException e) {
      throw parseError(file, e);
    } catch (CellException e) {
      throw new InputFileException(e.getMessage());
    }
    t.trim();
    return t;
  }

  /** A bad cell, thrown out of FastCSV's loop and turned into an {@link InputFileException}. */
  private static final class CellException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CellException(String message) {
      super(message, null, false, false);
    }
  }

  private void trim() {
    if (rows < lineOfRow.length) {
      numeric = Arrays.copyOf(numeric, rows * numericColumns);
      for (int i = 0; i < codes.length; i++) {
        codes[i] = Arrays.copyOf(codes[i], rows);
      }
      if (labelValues != null) {
        labelValues = Arrays.copyOf(labelValues, rows);
      } else {
        labelCodes = Arrays.copyOf(labelCodes, rows);
      }
    }
  }

  /** The file line a row began on, for messages. */
  long line(int row) {
    return lineOfRow[row];
  }

  /** "file:line: column 'name'" of a cell, for messages. */
  String at(int row, int column) {
    return file + ":" + line(row) + ": column '" + names.get(column) + "'";
  }

  private final class Handler extends AbstractBaseCsvCallbackHandler<Boolean> {
    private boolean skipHeader;
    private int fields;
    private boolean labelSeen;

    Handler(boolean header) {
      this.skipHeader = header;
    }

    @Override
    protected void handleBegin(long line) {
      fields = 0;
      labelSeen = false;
    }

    @Override
    protected void handleField(int index, char[] buf, int off, int len, boolean quoted) {
      fields = index + 1;
      if (skipHeader || index >= kinds.length) {
        return;
      }
      int row = rows;
      switch (kinds[index]) {
        case NUMERIC -> {
          float v = Numbers.parse(buf, off, len);
          if (Float.isNaN(v)) {
            checkMissing(buf, off, len, index, row, "a number");
          }
          numeric[row * numericColumns + slot[index]] = v;
        }
        case CATEGORICAL ->
            codes[slot[index]][row] =
                Numbers.isMissing(buf, off, len)
                    ? -1
                    : dictionaries.get(slot[index]).code(buf, off, len);
        case LABEL -> {
          labelSeen = true;
          if (numericLabel) {
            float v = Numbers.parse(buf, off, len);
            if (Float.isNaN(v)) {
              checkMissing(buf, off, len, index, row, "a number, as in the rows before");
            }
            labelValues[row] = v;
          } else {
            labelCodes[row] =
                Numbers.isMissing(buf, off, len) ? -1 : labelDictionary.code(buf, off, len);
          }
        }
        case SKIP -> {
          // an excluded column
        }
      }
    }

    private void checkMissing(char[] buf, int off, int len, int column, int row, String expected) {
      if (Numbers.isMissing(buf, off, len)) {
        return; // NaN marks it
      }
      String cell = new String(buf, off, Math.min(len, 40));
      String where = file + ":" + getStartingLineNumber() + ": column '" + names.get(column) + "'";
      if (Numbers.isInfinite(buf, off, len)) {
        throw new CellException(where + ": " + cell + " is not a finite number");
      }
      throw new CellException(
          where
              + ": expected "
              + expected
              + ", got '"
              + OneLineText.of(cell)
              + "'"
              + (kinds[column] == Kind.NUMERIC
                  ? "; if the column holds categories, list it under data.categorical"
                  : ""));
    }

    @Override
    protected Boolean buildRecord() {
      if (skipHeader) {
        skipHeader = false;
        return Boolean.FALSE;
      }
      if (fields != kinds.length) {
        throw new CellException(
            file
                + ":"
                + getStartingLineNumber()
                + ": "
                + fields
                + (fields == 1 ? " field" : " fields")
                + " but the header has "
                + kinds.length
                + " (a row with a missing or extra separator?)");
      }
      if (rows == lineOfRow.length) {
        throw new CellException(file + ": grew while being read");
      }
      lineOfRow[rows] = getStartingLineNumber();
      rows++;
      return Boolean.TRUE;
    }
  }

  /** A cell's text made safe for a one-line message. */
  static final class OneLineText {
    static String of(String s) {
      return s.replaceAll("\\p{Cntrl}", "?");
    }
  }
}
