package dev.mlp.data.table;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import dev.mlp.data.files.InputFileException;
import dev.mlp.data.files.InputFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
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
  final boolean header; // whether the first line named the columns
  final Scan scan;
  final Kind[] kinds;
  final int[] slot; // per column: its index among the numeric columns, or the categorical ones
  private final int[] numericSlot; // per column: its index among the numeric columns, or -1

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
  int parts = 1; // read by one reader, or in two parts
  private volatile boolean stopSecondPart; // the first part failed
  long missingCells; // cells with no value (empty, NA, ...) in the columns read

  /** Distinct texts of a column, numbered in the order first seen. */
  static final class Dictionary {
    final Map<String, Integer> codes = new HashMap<>();
    final List<String> values = new ArrayList<>();

    int code(char[] buf, int off, int len) {
      return code(new String(buf, off, len).strip());
    }

    int code(String s) {
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
    this.header = layout.header();
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
    this.numericSlot = new int[kinds.length];
    for (int i = 0; i < kinds.length; i++) {
      numericSlot[i] = kinds[i] == Kind.NUMERIC ? slot[i] : -1;
    }
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
   * The first pass: an upper bound on the file's records (its line count) and where its line feeds,
   * quotes and CRs are (for a cut into two parts, {@link CsvSplit}); and its SHA-256, which a
   * second thread computes meanwhile and while the records are parsed ({@link #sha256()} waits for
   * it).
   */
  static final class Scan {
    private final CsvSplit.Counts counts;
    private final long lines;
    private final java.util.concurrent.CompletableFuture<String> sha256;
    private final java.util.concurrent.atomic.AtomicBoolean cancelled;

    Scan(
        CsvSplit.Counts counts,
        java.util.concurrent.CompletableFuture<String> sha256,
        java.util.concurrent.atomic.AtomicBoolean cancelled) {
      this.counts = counts;
      this.lines = counts.newlines + (counts.last != '\n' ? 1 : 0);
      this.sha256 = sha256;
      this.cancelled = cancelled;
    }

    long lines() {
      return lines;
    }

    long bytes() {
      return counts.bytes;
    }

    CsvSplit.Counts counts() {
      return counts;
    }

    String sha256() throws IOException {
      try {
        return sha256.join();
      } catch (java.util.concurrent.CompletionException e) {
        throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
      }
    }

    /** Stops the SHA-256 of a file that will not be read after all. */
    void cancel() {
      cancelled.set(true);
    }
  }

  static Scan scan(Path file) throws IOException {
    return scan(file, CsvSplit.BLOCK);
  }

  /** {@link #scan(Path)}, counting line feeds per {@code block} bytes. */
  static Scan scan(Path file, int block) throws IOException {
    InputFiles.requireRegularFile(file, "CSV file");
    java.util.concurrent.atomic.AtomicBoolean cancelled =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.CompletableFuture<String> sha =
        new java.util.concurrent.CompletableFuture<>();
    Thread hasher =
        new Thread(
            () -> {
              try {
                sha.complete(sha256(file, cancelled));
              } catch (IOException | RuntimeException e) {
                sha.completeExceptionally(e);
              }
            },
            "mlp-csv-sha256");
    hasher.setDaemon(true);
    hasher.start(); // the file's SHA-256 on a second thread, from now on
    CsvSplit.Counts counts = new CsvSplit.Counts(block);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        FileBytes in = new FileBytes(ch, 0, Long.MAX_VALUE)) {
      byte[] a = new byte[block];
      int n;
      while ((n = in.readFully(a)) > 0) { // whole blocks, but for the last
        counts.add(a, n);
      }
    } catch (IOException e) {
      cancelled.set(true);
      throw new InputFileException(file + ": cannot read: " + InputFiles.reason(e), e);
    }
    if (counts.badUtf8 >= 0 || counts.utf8Unfinished()) {
      cancelled.set(true);
      throw InputFiles.notUtf8(file);
    }
    return new Scan(counts, sha, cancelled);
  }

  private static String sha256(Path file, java.util.concurrent.atomic.AtomicBoolean cancelled)
      throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        FileBytes in = new FileBytes(ch, 0, Long.MAX_VALUE)) {
      byte[] a = new byte[1 << 16];
      int n;
      while ((n = in.read(a, 0, a.length)) > 0) {
        if (cancelled.get()) {
          throw new IOException("cancelled");
        }
        sha.update(a, 0, n);
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
        reader(delimiter).ofCsvRecord(InputFiles.utf8Reader(file))) {
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

  /**
   * FastCSV's failure as one line: a bad cell our handler threw, bytes that are not UTF-8 (named by
   * line, column and byte), or FastCSV's own reason (the innermost, not its "Exception when
   * reading" wrapper); a field too long to hold in memory is said to be one.
   */
  static InputFileException parseError(Path file, RuntimeException e) throws IOException {
    Throwable outer = null; // FastCSV's own message names the record's line
    Throwable innermost = e;
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof CellException cell) {
        return new InputFileException(cell.getMessage()); // thrown by our handler, wrapped
      }
      if (c instanceof java.nio.charset.CharacterCodingException) {
        return InputFiles.notUtf8(file);
      }
      if (c instanceof OutOfMemoryError) {
        return new InputFileException(
            file
                + ": a field or a line too long to hold in memory; is it a CSV file with a line"
                + " break after each row?",
            c);
      }
      if (c instanceof CsvParseException && c.getMessage() != null && outer == null) {
        outer = c;
      }
      if (implicit(c)) { // a failure inside the parser: its message is the JIT's choice
        innermost = c;
        break;
      }
      if (c.getMessage() != null && !(c instanceof UncheckedIOException)) {
        innermost = c;
      }
    }
    // "Exception when reading record that started in line 6: Unexpected character after closing
    // quote": where, and why
    String m = outer != null ? outer.getMessage() : "";
    String why =
        implicit(innermost)
            ? "the parser failed inside it (" + innermost.getClass().getSimpleName() + ")"
            : innermost.getMessage() == null ? innermost.toString() : innermost.getMessage();
    if (!m.equals(why)) {
      m = m.isEmpty() ? why : m + ": " + why;
    }
    return new InputFileException(file + ": not a CSV file mlp can read: " + m, innermost);
  }

  /**
   * An exception the JVM throws by itself (an index out of bounds, a null, a bad cast, a division
   * by zero). Thrown often from compiled code, it loses its message (the JIT reuses one
   * preallocated exception), so an error built from its message would read differently from run to
   * run.
   */
  private static boolean implicit(Throwable t) {
    return t instanceof IndexOutOfBoundsException
        || t instanceof NullPointerException
        || t instanceof ClassCastException
        || t instanceof ArithmeticException
        || t instanceof ArrayStoreException;
  }

  /** Files from this size on are read in two parts, on two threads. */
  static final long TWO_PARTS_FROM_BYTES = 8L << 20;

  /**
   * Reads every record of {@code file} by {@code layout}, refusing a record whose field count
   * differs from the header's, a non-number in a numeric column and an infinite number, each naming
   * the line and the column. A large file is read in two parts on two threads, with exactly the
   * result of one reader.
   */
  static CsvTable read(Path file, Scan scan, Layout layout, char delimiter) throws IOException {
    long bytes = scan.bytes();
    return read(file, scan, layout, delimiter, bytes >= TWO_PARTS_FROM_BYTES ? bytes / 2 : -1);
  }

  /**
   * As {@link #read(Path, Scan, Layout, char)}, cut in two at the first record boundary at or after
   * byte {@code cutAt} ({@link CsvSplit}), or read whole by one reader when {@code cutAt} is
   * negative or the file cannot be cut there.
   */
  static CsvTable read(Path file, Scan scan, Layout layout, char delimiter, long cutAt)
      throws IOException {
    long capacity = scan.lines() - (layout.header() ? 1 : 0);
    if (capacity < 1) {
      scan.cancel();
      throw new InputFileException(
          file + ": " + (layout.header() ? "a header and no rows" : "no rows") + " to learn from");
    }
    if (capacity > Integer.MAX_VALUE - 8) {
      scan.cancel();
      throw new InputFileException(file + ": more than 2³¹ rows");
    }
    long numericCount = Arrays.stream(layout.kinds()).filter(k -> k == Kind.NUMERIC).count();
    long need = 4 * capacity * Math.max(1, numericCount) + 8 * capacity;
    Runtime rt = Runtime.getRuntime();
    long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    if (need > free) {
      scan.cancel();
      throw new InputFileException(
          String.format(
              "%s: its %,d rows of %d numeric columns need %s of memory as float32 but Java may"
                  + " use only %s more; give Java more with MLP_JAVA_OPTS=-Xmx...",
              file, capacity, numericCount, InputFiles.bytes(need), InputFiles.bytes(free)));
    }
    CsvTable t = new CsvTable(file, scan, layout, (int) capacity);
    CsvSplit split = null;
    if (cutAt >= 0) {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        split = CsvSplit.find(ch, scan.counts(), delimiter, cutAt);
      } catch (IOException e) {
        throw new InputFileException(file + ": cannot read: " + InputFiles.reason(e), e);
      }
    }
    if (split == null || !t.readInTwo(split, layout.header(), delimiter)) {
      t.readWhole(layout.header(), delimiter);
    }
    t.trim();
    return t;
  }

  /** The whole file by one FastCSV reader. */
  private void readWhole(boolean header, char delimiter) throws IOException {
    rows = 0;
    dictionaries.replaceAll(d -> new Dictionary());
    labelDictionary.codes.clear();
    labelDictionary.values.clear();
    Handler h = new Handler(header, 0, lineOfRow.length, 0, dictionaries, labelDictionary, false);
    // strict UTF-8 (a bad byte is an error naming its line, never a silent U+FFFD); the reader
    // drops a byte-order mark itself
    try (CsvReader<Boolean> r = reader(delimiter).build(h, InputFiles.utf8Reader(file))) {
      for (Boolean ignored : r) {
        // each record is stored by the handler
      }
    } catch (RuntimeException e) {
      throw failure(e);
    }
    rows = h.row;
    missingCells = h.missing;
  }

  /** As the sequential read turns a failure of FastCSV's loop into a one-line message. */
  private InputFileException failure(RuntimeException e) throws IOException {
    if (e instanceof CsvParseException || e instanceof UncheckedIOException) {
      return parseError(file, e);
    }
    if (e instanceof CellException) {
      return new InputFileException(e.getMessage());
    }
    throw e;
  }

  /**
   * The file in two parts, {@code [0, cut)} on this thread and {@code [cut, end)} on another, each
   * by its own FastCSV reader over its bytes: the second part's rows are stored from the row its
   * first record is (the records before the cut, less the header), its line numbers offset by the
   * lines before the cut, and its new categories appended to the first part's in the order it first
   * saw them, so that the table is exactly what one reader makes of the file. The failure reported
   * is the first one in the file. False if the parts do not meet as the cut says (then nothing is
   * kept and the file is read whole).
   */
  private boolean readInTwo(CsvSplit split, boolean header, char delimiter) throws IOException {
    long base = split.records() - (header ? 1 : 0);
    if (base < 0 || base > lineOfRow.length) {
      return false;
    }
    rows = 0;
    List<Dictionary> secondDictionaries = new ArrayList<>();
    for (int i = 0; i < dictionaries.size(); i++) {
      secondDictionaries.add(new Dictionary());
    }
    Dictionary secondLabels = new Dictionary();
    Handler first = new Handler(header, 0, (int) base, 0, dictionaries, labelDictionary, true);
    Handler[] seconds = new Handler[1];
    RuntimeException[] secondFailure = new RuntimeException[1];
    stopSecondPart = false;
    RuntimeException firstFailure = null;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      Thread other =
          new Thread(
              () -> {
                // made by this thread, so that it is not beside the first part's handler: the two
                // write their counters all the time, and in one cache line they would slow each
                // other down
                Handler second =
                    new Handler(
                        false,
                        (int) base,
                        lineOfRow.length,
                        split.lines(),
                        secondDictionaries,
                        secondLabels,
                        false);
                seconds[0] = second;
                try {
                  parsePart(second, ch, split.offset(), Long.MAX_VALUE, delimiter);
                } catch (RuntimeException e) {
                  secondFailure[0] = e;
                }
              },
              "mlp-csv-part2");
      other.setDaemon(true);
      other.start();
      try {
        parsePart(first, ch, split.bom(), split.offset(), delimiter);
      } catch (RuntimeException e) {
        firstFailure = e;
        stopSecondPart = true;
      }
      join(other);
    } catch (IOException e) {
      throw new InputFileException(file + ": cannot read: " + InputFiles.reason(e), e);
    }
    if (firstFailure != null) {
      if (isMismatch(firstFailure)) {
        return false;
      }
      throw failure(firstFailure); // the first in the file
    }
    if (first.row != base) {
      return false; // not where the cut said the second part starts (cannot happen)
    }
    if (secondFailure[0] != null) {
      throw failure(secondPartFailure(secondFailure[0], split.lines()));
    }
    Handler second = seconds[0];
    // the second part's categories: codes of the first part's dictionaries, new texts appended
    for (int k = 0; k < dictionaries.size(); k++) {
      recode(codes[k], (int) base, second.row, dictionaries.get(k), secondDictionaries.get(k));
    }
    if (labelCodes != null) {
      recode(labelCodes, (int) base, second.row, labelDictionary, secondLabels);
    }
    rows = second.row;
    missingCells = first.missing + second.missing;
    parts = 2;
    return true;
  }

  /** Waits for {@code other} to end, an interrupt kept for later rather than lost. */
  static void join(Thread other) {
    boolean interrupted = false;
    while (true) {
      try {
        other.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean isMismatch(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof CutMismatch) {
        return true;
      }
    }
    return false;
  }

  /**
   * A failure in the second part as one reader of the whole file reports it: FastCSV's own message
   * names the record's line, counted from the cut, so it is counted from the file's start here (our
   * cell messages are already).
   */
  private static RuntimeException secondPartFailure(RuntimeException e, long lineOffset) {
    if (!(e instanceof CsvParseException) || e.getMessage() == null) {
      return e;
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof CellException) {
        return e;
      }
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("started in line (\\d+)").matcher(e.getMessage());
    long line;
    if (e.getMessage().equals("Exception when reading first record")) {
      line = 1;
    } else if (m.find()) {
      line = Long.parseLong(m.group(1));
    } else {
      return e;
    }
    long global = line + lineOffset;
    String message =
        global == 1
            ? "Exception when reading first record"
            : "Exception when reading record that started in line " + global;
    return new CsvParseException(message, e.getCause());
  }

  /** Codes {@code [from, to)} of a second part's dictionary turned into the whole file's. */
  private static void recode(int[] codes, int from, int to, Dictionary whole, Dictionary part) {
    if (part.values.isEmpty()) {
      return;
    }
    int[] map = new int[part.values.size()];
    for (int k = 0; k < map.length; k++) {
      map[k] = whole.code(part.values.get(k));
    }
    for (int r = from; r < to; r++) {
      if (codes[r] >= 0) {
        codes[r] = map[codes[r]];
      }
    }
  }

  /**
   * Bytes {@code [from, to)} of the file by their own FastCSV reader, decoded as FastCSV decodes
   * the file ({@link Utf8Part}; a byte-order mark is left out by starting after it).
   */
  private static void parsePart(Handler h, FileChannel ch, long from, long to, char delimiter) {
    try (CsvReader<Boolean> r = reader(delimiter).build(h, new Utf8Part(ch, from, to))) {
      for (Boolean ignored : r) {
        // each record is stored by the handler
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first part reached the row the second part starts at: the cut was not where it said. */
  private static final class CutMismatch extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CutMismatch() {
      super("the first part ran into the second", null, false, false);
    }
  }

  /** The second part stops: the first failed, and its failure is the one reported. */
  private static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped() {
      super("stopped", null, false, false);
    }
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

  /**
   * Stores the records of a file, or of a part of it: rows from {@code row} up to {@code limit},
   * line numbers offset by {@code lineOffset} (the lines before the part), categories coded by the
   * given dictionaries.
   */
  private final class Handler extends AbstractBaseCsvCallbackHandler<Boolean> {
    private boolean skipHeader;
    private int fields;
    private boolean labelSeen;
    int row;
    long missing; // cells with no value
    private final int limit;
    private final long lineOffset;
    private final List<Dictionary> dictionaries;
    private final Dictionary labelDictionary;
    private final boolean firstPart;

    Handler(
        boolean header,
        int row,
        int limit,
        long lineOffset,
        List<Dictionary> dictionaries,
        Dictionary labelDictionary,
        boolean firstPart) {
      this.skipHeader = header;
      this.row = row;
      this.limit = limit;
      this.lineOffset = lineOffset;
      this.dictionaries = dictionaries;
      this.labelDictionary = labelDictionary;
      this.firstPart = firstPart;
    }

    /** The file line the current record began on. */
    private long line() {
      return getStartingLineNumber() + lineOffset;
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
      int at = numericSlot[index];
      if (at >= 0) { // the common case first
        float v = Numbers.parse(buf, off, len);
        if (Float.isNaN(v)) {
          checkMissing(buf, off, len, index, row, "a number");
        }
        numeric[row * numericColumns + at] = v;
        return;
      }
      int row = this.row;
      switch (kinds[index]) {
        case CATEGORICAL -> {
          if (Numbers.isMissing(buf, off, len)) {
            missing++;
            codes[slot[index]][row] = -1;
          } else {
            codes[slot[index]][row] = dictionaries.get(slot[index]).code(buf, off, len);
          }
        }
        case LABEL -> {
          labelSeen = true;
          if (numericLabel) {
            float v = Numbers.parse(buf, off, len);
            if (Float.isNaN(v)) {
              checkMissing(buf, off, len, index, row, "a number, as in the rows before");
            }
            labelValues[row] = v;
          } else {
            if (Numbers.isMissing(buf, off, len)) {
              missing++;
              labelCodes[row] = -1;
            } else {
              labelCodes[row] = labelDictionary.code(buf, off, len);
            }
          }
        }
        default -> {
          // an excluded column
        }
      }
    }

    private void checkMissing(char[] buf, int off, int len, int column, int row, String expected) {
      if (Numbers.isMissing(buf, off, len)) {
        missing++;
        return; // NaN marks it
      }
      String cell = new String(buf, off, Math.min(len, 40));
      String where = file + ":" + line() + ": column '" + names.get(column) + "'";
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
      if (stopSecondPart && !firstPart) {
        throw new Stopped();
      }
      if (fields != kinds.length) {
        throw new CellException(
            file
                + ":"
                + line()
                + ": "
                + fields
                + (fields == 1 ? " field" : " fields")
                + " but the header has "
                + kinds.length
                + " (a row with a missing or extra separator?)");
      }
      if (row == limit) {
        if (firstPart) {
          throw new CutMismatch();
        }
        throw new CellException(file + ": grew while being read");
      }
      lineOfRow[row] = line();
      row++;
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
