package dev.mlp.data.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlp.data.table.CsvTable.Kind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file read in two parts on two threads ({@link CsvTable#read(Path, CsvTable.Scan,
 * CsvTable.Layout, char, long)} with a cut) against the same file read whole by one reader: cut at
 * every byte of tricky files, the tables (floats bit for bit, codes, dictionaries in first-seen
 * order, line numbers) or the error messages must be the same.
 */
class CsvTableSplitTest {
  @TempDir Path tmp;
  private final Random blocks = new Random(1);

  /** What a read gave: the table's contents, or the message it failed with. */
  record Outcome(
      String error,
      int rows,
      int[] numericBits,
      List<int[]> codes,
      List<List<String>> dictionaries,
      int[] labelCodes,
      int[] labelValueBits,
      List<String> labelDictionary,
      long[] lines,
      long missingCells) {
    static Outcome of(CsvTable t) {
      int[] bits = new int[t.rows * t.numericColumns];
      for (int i = 0; i < bits.length; i++) {
        bits[i] = Float.floatToRawIntBits(t.numeric[i]);
      }
      List<int[]> codes = new ArrayList<>();
      for (int[] c : t.codes) {
        codes.add(Arrays.copyOf(c, t.rows));
      }
      List<List<String>> dictionaries = new ArrayList<>();
      for (CsvTable.Dictionary d : t.dictionaries) {
        dictionaries.add(List.copyOf(d.values));
      }
      int[] labelValueBits = null;
      if (t.labelValues != null) {
        labelValueBits = new int[t.rows];
        for (int i = 0; i < t.rows; i++) {
          labelValueBits[i] = Float.floatToRawIntBits(t.labelValues[i]);
        }
      }
      return new Outcome(
          null,
          t.rows,
          bits,
          codes,
          dictionaries,
          t.labelCodes == null ? null : Arrays.copyOf(t.labelCodes, t.rows),
          labelValueBits,
          List.copyOf(t.labelDictionary.values),
          Arrays.copyOf(t.lineOfRow, t.rows),
          t.missingCells);
    }

    static Outcome failed(String message) {
      return new Outcome(message, -1, null, null, null, null, null, null, null, 0);
    }

    /** Comparable text of the whole outcome. */
    String describe() {
      if (error != null) {
        return "error: " + error;
      }
      StringBuilder b =
          new StringBuilder("rows " + rows + "\nnumeric " + Arrays.toString(numericBits));
      for (int[] c : codes) {
        b.append("\ncodes ").append(Arrays.toString(c));
      }
      b.append("\ndictionaries ").append(dictionaries);
      b.append("\nlabel codes ").append(Arrays.toString(labelCodes));
      b.append("\nlabel values ").append(Arrays.toString(labelValueBits));
      b.append("\nlabel dictionary ").append(labelDictionary);
      b.append("\nlines ").append(Arrays.toString(lines));
      b.append("\nmissing cells ").append(missingCells);
      return b.toString();
    }
  }

  private record Read(Outcome outcome, boolean twoParts) {}

  private static Read read(Path file, CsvTable.Scan scan, CsvTable.Layout layout, long cutAt) {
    try {
      CsvTable t = CsvTable.read(file, scan, layout, ',', cutAt);
      return new Read(Outcome.of(t), t.parts == 2);
    } catch (Exception e) {
      return new Read(Outcome.failed(e.getClass().getSimpleName() + ": " + e.getMessage()), false);
    }
  }

  /**
   * Reads {@code file} whole, then cut at every byte; each must give the whole read's outcome.
   *
   * @return the cuts that were read in two parts
   */
  private List<Long> sameAtEveryCut(Path file, CsvTable.Layout layout) throws Exception {
    CsvTable.Scan scan;
    try {
      scan = CsvTable.scan(file, 8 + blocks.nextInt(40)); // blocks of a few bytes
    } catch (dev.mlp.data.files.InputFileException e) {
      // not UTF-8: said by the scan, before any part is parsed, whatever else is wrong
      assertThat(e.getMessage()).contains(": not UTF-8 text (byte 0x");
      return List.of();
    }
    String whole = read(file, scan, layout, -1).outcome().describe();
    List<Long> twoParts = new ArrayList<>();
    long size = Files.size(file);
    for (long cut = 0; cut <= size + 1; cut++) {
      Read r = read(file, scan, layout, cut);
      assertThat(r.outcome().describe())
          .as("%s cut at byte %d", file.getFileName(), cut)
          .isEqualTo(whole);
      if (r.twoParts()) {
        twoParts.add(cut);
      }
    }
    return twoParts;
  }

  /** 0, 1, ..., last. */
  private static List<Long> upTo(long last) {
    List<Long> all = new ArrayList<>();
    for (long i = 0; i <= last; i++) {
      all.add(i);
    }
    return all;
  }

  /**
   * A record the CSV parser fails inside of with an index out of bounds (found by the random tables
   * below, as random61.csv cut at byte 51). Such an exception, thrown often from compiled code,
   * loses its message, so the error once read "...line 7: Index 5 out of bounds for length 5" and
   * once "...line 7": it must read the same every time.
   */
  @Test
  void aFailureInsideTheParserReadsTheSameEveryTime() throws Exception {
    byte[] bytes =
        ("\u00EF\u00BB\u00BFx,kind,y\n0,caf\u00C3\u00A9,\"c,d\"\n1,\u00E2\u0082\u00AC5,"
                + "\u00E2\u0082\u00AC5\n3e2,b,\u00E2\u0082\u00AC5\n3,b,caf\u00C3\u00A9\r"
                + "4,q\",\"i\"\"j\"\n5,o\"p,o\"p\r")
            .getBytes(StandardCharsets.ISO_8859_1);
    Path f = file("inside.csv", bytes);
    CsvTable.Scan scan = CsvTable.scan(f, 1 << 16);
    for (int i = 0; i < 3; i++) {
      String got = read(f, scan, numberCategoryLabel(), -1).outcome().describe();
      assertThat(got)
          .contains(f + ": not a CSV file mlp can read: ")
          .contains("line 7: the parser failed inside it (")
          .doesNotContain("out of bounds");
    }
  }

  private Path file(String name, byte[] bytes) throws Exception {
    return Files.write(tmp.resolve(name), bytes);
  }

  private Path file(String name, String text) throws Exception {
    return file(name, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Columns x (numeric), kind (categorical), y (text label): a classifier's table. */
  private static CsvTable.Layout numberCategoryLabel() {
    return new CsvTable.Layout(
        List.of("x", "kind", "y"),
        true,
        new Kind[] {Kind.NUMERIC, Kind.CATEGORICAL, Kind.LABEL},
        2,
        false);
  }

  private static String outcome(Path file, CsvTable.Layout layout, long cutAt) throws Exception {
    return read(file, CsvTable.scan(file), layout, cutAt).outcome().describe();
  }

  @Test
  void quotedFieldsWithLineBreaksAndSeparatorsAcrossTheCutCrlfAndABom() throws Exception {
    Path f =
        file(
            "quoted.csv",
            "\uFEFFx,kind,y\r\n"
                + "1.5,\"red, dark\",cat\r\n"
                + "2.25,\"line one\r\nline two\nline three\",dog\r\n"
                + "-3,\"say \"\"hi\"\"\r\n, then\",cat\r\n"
                + "4e2,blue,\"bird\nof prey\"\r\n"
                + "0.001,\"\"\"\",dog\r\n"
                + "6,\"a,b\r\n\r\nc\",\"fish\"\r\n"
                + "7,green,cat\r\n"
                + "8,\"red, dark\",\"new\r\nlabel\"\r\n");
    List<Long> cuts = sameAtEveryCut(f, numberCategoryLabel());
    // every cut up to the last record's start finds a record boundary (no fallback to one reader)
    assertThat(cuts)
        .isEqualTo(upTo(Files.size(f) - "8,\"red, dark\",\"new\r\nlabel\"\r\n".length()));
    // a category and a class first seen after the cut are appended after the first part's
    String whole = outcome(f, numberCategoryLabel(), -1);
    assertThat(whole)
        .contains(
            "dictionaries [[red, dark, line one\r\nline two\nline three, say \"hi\"\r\n, then,"
                + " blue, \", a,b\r\n\r\nc, green]]")
        .contains("label dictionary [cat, dog, bird\nof prey, fish, new\r\nlabel]")
        .contains("lines [2, 3, 6, 8, 10, 11, 14, 15]");
  }

  @Test
  void categoriesFirstSeenInTheSecondPartKeepTheirFirstSeenOrder() throws Exception {
    StringBuilder b = new StringBuilder("x,kind,y\n");
    String[] kinds = {"b", "a", "b", "c", "a", "d", "e", "c", "f", "a"};
    for (int i = 0; i < kinds.length; i++) {
      b.append(i).append(',').append(kinds[i]).append(',').append(kinds[kinds.length - 1 - i]);
      b.append('\n');
    }
    Path f = file("categories.csv", b.toString());
    List<Long> cuts = sameAtEveryCut(f, numberCategoryLabel());
    assertThat(cuts).hasSizeGreaterThan(20);
    assertThat(outcome(f, numberCategoryLabel(), -1))
        .contains("dictionaries [[b, a, c, d, e, f]]")
        .contains("label dictionary [a, f, c, e, d, b]");
  }

  @Test
  void theFirstErrorInTheFileIsReportedWhereverTheCut() throws Exception {
    Path f =
        file("errors.csv", "x,kind,y\n1,a,p\n2,b,q\noops,a,p\n4,b,q\n5,a,p\n6,b\n7,a,p\n8,b,q\n");
    List<Long> cuts = sameAtEveryCut(f, numberCategoryLabel());
    assertThat(cuts).isEmpty(); // a failed read reports no parts; every cut gave the same error
    assertThat(outcome(f, numberCategoryLabel(), 40))
        .isEqualTo(
            "error: InputFileException: "
                + f
                + ":4: column 'x': expected a number, got 'oops'; if the column holds categories,"
                + " list it under data.categorical");
    // with the first fixed, the error in the second part is named by its line in the file
    Path g = file("error2.csv", "x,kind,y\n1,a,p\n2,b,q\n3,a,p\n4,b,q\n5,a,p\n6,b\n7,a,p\n8,b,q\n");
    sameAtEveryCut(g, numberCategoryLabel());
    assertThat(outcome(g, numberCategoryLabel(), 30))
        .isEqualTo(
            "error: InputFileException: "
                + g
                + ":7: 2 fields but the header has 3 (a row with a missing or extra separator?)");
  }

  @Test
  void emptyLinesLoneCrAndFastCsvsOwnErrorsAfterTheCut() throws Exception {
    // an empty line is a record of no fields
    sameAtEveryCut(
        file("empty.csv", "x,kind,y\n1,a,p\n2,b,q\n\n3,a,p\n4,b,q\n"), numberCategoryLabel());
    // records ended by a lone CR: more records than line feeds
    sameAtEveryCut(
        file("cr.csv", "x,kind,y\n1,a,p\n2,b,q\r3,a,p\r4,b,q\n5,a,p\n6,b,q\n"),
        numberCategoryLabel());
    // a character after a closing quote: FastCSV's message names the record's line
    Path quote = file("quote.csv", "x,kind,y\n1,a,p\n2,b,q\n3,a,p\n4,b,q\n5,\"a\"b,p\n6,b,q\n");
    sameAtEveryCut(quote, numberCategoryLabel());
    assertThat(outcome(quote, numberCategoryLabel(), 20))
        .isEqualTo(
            "error: InputFileException: "
                + quote
                + ": not a CSV file mlp can read: Exception when reading record that started in"
                + " line 6: Unexpected character after closing quote: 'b' (0x62)");
    // FastCSV's CR inside quotes, then the closing quote and a line feed
    sameAtEveryCut(
        file("crquote.csv", "x,kind,y\n1,a,p\n2,\"b\r\",q\n3,\"a\r\"\n4,b,q\n5,a,p\n6,b,q\n"),
        numberCategoryLabel());
    // a quote inside an unquoted field is text, and opens no quotes
    Path midquote = file("midquote.csv", "x,kind,y\n1,a\"b,p\n2,c,q\n3,d\",p\n4,\"e\",q\n5,f,p\n");
    assertThat(sameAtEveryCut(midquote, numberCategoryLabel()))
        .isEqualTo(upTo(Files.size(midquote) - "5,f,p\n".length()));
    // a line that starts with U+FEFF after the cut is no byte-order mark
    Path bom = file("bom.csv", "x,kind,y\n1,a,p\n2,b,q\n\uFEFF3,c,p\n4,d,q\n");
    sameAtEveryCut(bom, numberCategoryLabel());
    assertThat(outcome(bom, numberCategoryLabel(), -1))
        .contains(":4: column 'x': expected a number");
    // no line feed at the end; a cell that is not UTF-8 just before a line feed
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes("x,kind,y\n1,a,p\n2,b".getBytes(StandardCharsets.US_ASCII));
    bytes.writeBytes(new byte[] {(byte) 0xE2, (byte) 0x82});
    bytes.writeBytes(",q\n3,c,\u00e9t\u00e9\n4,d".getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes(new byte[] {(byte) 0xF0});
    bytes.writeBytes("\n5,e,p\n6,f,q".getBytes(StandardCharsets.US_ASCII));
    sameAtEveryCut(file("utf8.csv", bytes.toByteArray()), numberCategoryLabel());
  }

  @Test
  void aRegressionLabelAndNoHeader() throws Exception {
    CsvTable.Layout layout =
        new CsvTable.Layout(
            List.of("0", "1", "2"),
            false,
            new Kind[] {Kind.NUMERIC, Kind.SKIP, Kind.LABEL},
            2,
            true);
    List<Long> cuts =
        sameAtEveryCut(
            file("regression.csv", "1,x,0.5\n2,\"y\ny\",NA\n3,z,1e-3\n 4 ,w,-2\n5,v,\n"), layout);
    assertThat(cuts).hasSizeGreaterThan(20);
  }

  /**
   * Random tables of tricky cells, each cut at every byte: quotes, separators and line breaks
   * inside quotes, CRLF and lone CR, extra fields, numbers that are not, text that is not ASCII and
   * bytes that are not UTF-8 (the text is built as bytes: a char per byte, written as ISO-8859-1).
   */
  @Test
  void randomTrickyTablesReadTheSameAtEveryCut() throws Exception {
    Random random = new Random(13);
    String[] numbers = {"1", "-2.5", "3e2", " 4 ", "0.000001", "NA", "", "\"7\"", "1e", "x"};
    String[] texts = {
      "a",
      "b",
      "\"a\"",
      "\"c,d\"",
      "\"e\nf\"",
      "\"g\r\nh\"",
      "\"i\"\"j\"",
      "\"\"",
      "k l",
      "\"m\rn\"",
      "o\"p",
      "q\"",
      "\u00EF\u00BB\u00BFr", // U+FEFF r
      "caf\u00C3\u00A9",
      "\u00E2\u0082\u00AC5",
      "\"\u00F0\u009F\u0098\u0080\n\"", // café, €5, 😀
      "\u00E2\u0082",
      "x\u00FF",
      "\u00C3" // not UTF-8: cut short, a byte no sequence starts with
    };
    String[] ends = {"\n", "\n", "\n", "\r\n", "\r\n", "\r"};
    int twoParts = 0;
    // the last three texts are not UTF-8: one file in eight may hold them (the scan refuses it)
    int utf8Texts = texts.length - 3;
    for (int n = 0; n < 80; n++) {
      int choices = n % 8 == 7 ? texts.length : utf8Texts;
      StringBuilder b = new StringBuilder(random.nextInt(4) == 0 ? "\u00EF\u00BB\u00BF" : "");
      String end = ends[random.nextInt(ends.length)];
      b.append("x,kind,y").append(end);
      int rows = 2 + random.nextInt(8);
      for (int r = 0; r < rows; r++) {
        String x = random.nextInt(6) == 0 ? numbers[random.nextInt(numbers.length)] : "" + r;
        b.append(x).append(',').append(texts[random.nextInt(choices)]).append(',');
        b.append(texts[random.nextInt(choices)]);
        if (random.nextInt(15) == 0) {
          b.append(",extra");
        }
        b.append(random.nextInt(12) == 0 ? ends[random.nextInt(ends.length)] : end);
      }
      if (random.nextBoolean()) {
        b.setLength(b.length() - end.length()); // no line break at the end
      }
      Path f = file("random" + n + ".csv", b.toString().getBytes(StandardCharsets.ISO_8859_1));
      List<Long> cuts = sameAtEveryCut(f, numberCategoryLabel());
      twoParts += cuts.size();
    }
    assertThat(twoParts).as("cuts read in two parts").isGreaterThan(1000);
  }

  /** The scan's line-feed count and first quote or CR against a plain count, across words. */
  @Test
  void newlinesQuotesAndCrsAreFoundExactly() {
    Random random = new Random(7);
    for (int n = 0; n < 300; n++) {
      byte[] a = new byte[1 + random.nextInt(100)];
      int kinds = 2 + random.nextInt(7); // some arrays without quotes or CRs
      for (int i = 0; i < a.length; i++) {
        a[i] = (byte) "\na,\u00ff\u000b\"\r\u0009".charAt(random.nextInt(kinds));
      }
      int from = random.nextInt(a.length);
      long expected = 0;
      for (int i = from; i < a.length; i++) {
        expected += a[i] == '\n' ? 1 : 0;
      }
      assertThat(CsvSplit.countNewlines(a, from, a.length)).isEqualTo(expected);

      CsvSplit.Counts counts = new CsvSplit.Counts(a.length);
      if (from > 0) {
        counts.add(Arrays.copyOf(a, from), from); // two blocks (or one)
      }
      counts.add(Arrays.copyOfRange(a, from, a.length), a.length - from);
      long special = Long.MAX_VALUE;
      long all = 0;
      for (int i = a.length - 1; i >= 0; i--) {
        special = a[i] == '"' || a[i] == '\r' ? i : special;
        all += a[i] == '\n' ? 1 : 0;
      }
      assertThat(counts.newlines).isEqualTo(all);
      assertThat(counts.firstSpecial).isEqualTo(special);
    }
  }
}
