package dev.mlp.data.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlp.core.data.DataSplits;
import dev.mlp.data.table.CsvTable.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shortcuts taken for speed give exactly what the plain code gives: the number parser's plain
 * form against its general one, and the row-by-row column statistics and scaling against one column
 * at a time.
 */
class CsvSpeedTest {
  @TempDir Path tmp;

  @Test
  void thePlainNumberShortcutGivesTheGeneralParsersFloatBitForBit() {
    Random random = new Random(5);
    String alphabet = "0123456789012345678901234567890123456789..--+ eE";
    for (int n = 0; n < 1_000_000; n++) {
      char[] c = new char[random.nextInt(13)];
      for (int i = 0; i < c.length; i++) {
        c[i] = alphabet.charAt(random.nextInt(n % 2 == 0 ? 20 : alphabet.length()));
      }
      if (n % 3 == 0 && c.length > 2) {
        c[random.nextInt(c.length)] = '.';
      }
      if (n % 5 == 0 && c.length > 0) {
        c[0] = '-';
      }
      assertThat(Float.floatToRawIntBits(Numbers.parse(c, 0, c.length)))
          .as(new String(c))
          .isEqualTo(Float.floatToRawIntBits(Numbers.parseAny(c, 0, c.length)));
    }
    // the cells of a typical table, and the edges of the shortcut (2^24, ten characters)
    for (String s :
        new String[] {
          "0.123456",
          "-0.5",
          "-0",
          "0",
          "1.",
          ".5",
          "-.5",
          "16777215",
          "16777216",
          "1677721.6",
          "0.000000001",
          "123456789",
          "1234567890",
          "-123456789",
          "9999999.9",
          ".",
          "-",
          ""
        }) {
      char[] c = s.toCharArray();
      assertThat(Float.floatToRawIntBits(Numbers.parse(c, 0, c.length)))
          .as(s)
          .isEqualTo(Float.floatToRawIntBits(Numbers.parseAny(c, 0, c.length)));
    }
  }

  @Test
  void rowByRowStatisticsAndScalingEqualOneColumnAtATime() throws Exception {
    Random random = new Random(3);
    StringBuilder b = new StringBuilder("a,b,c,y\n");
    for (int r = 0; r < 500; r++) {
      for (int k = 0; k < 3; k++) {
        b.append(random.nextInt(10) == 0 ? "" : String.valueOf(random.nextGaussian() * 1e3 + k))
            .append(',');
      }
      b.append(random.nextInt(3)).append('\n');
    }
    Path file = Files.writeString(tmp.resolve("t.csv"), b.toString());
    CsvTable.Layout layout =
        new CsvTable.Layout(
            List.of("a", "b", "c", "y"),
            true,
            new Kind[] {Kind.NUMERIC, Kind.NUMERIC, Kind.NUMERIC, Kind.LABEL},
            3,
            true);
    CsvTable t = CsvTable.read(file, CsvTable.scan(file), layout, ',');
    int[] rows = new int[t.rows];
    for (int r = 0; r < rows.length; r++) {
      rows[r] = r;
    }
    int[] some = {3, 7, 8, 100, 499, 250, 0};
    for (int k = 0; k < 4; k++) {
      int[] which = k % 2 == 0 ? rows : some;
      // on one thread, then (the bar lowered) on two, the columns split between them
      TablePreprocessing.twoThreadsFromCells = k < 2 ? 1L << 22 : 0;
      TablePreprocessing.Moments m = TablePreprocessing.Moments.of(t, which);
      for (int slot = 0; slot < 3; slot++) {
        // as the statistics were computed before: one column at a time
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long n = 0;
        for (int r : which) {
          float v = t.numeric[r * t.numericColumns + slot];
          if (!Float.isNaN(v)) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
            n++;
          }
        }
        double mean = n == 0 ? 0 : sum / n;
        double sq = 0;
        for (int r : which) {
          float v = t.numeric[r * t.numericColumns + slot];
          if (!Float.isNaN(v)) {
            sq += (v - mean) * (v - mean);
          }
        }
        assertThat(m.n()[slot]).isEqualTo(n);
        assertThat(Double.doubleToRawLongBits(m.sum()[slot]))
            .isEqualTo(Double.doubleToRawLongBits(sum));
        assertThat(m.min()[slot]).isEqualTo(min);
        assertThat(m.max()[slot]).isEqualTo(max);
        assertThat(Double.doubleToRawLongBits(m.sq()[slot]))
            .isEqualTo(Double.doubleToRawLongBits(sq));
      }
    }
    TablePreprocessing.twoThreadsFromCells = 1L << 22;
    // scaling the whole table in place, against each column scaled on its own
    CsvSpec spec =
        new CsvSpec(
            file.toString(),
            null,
            null,
            "y",
            null,
            null,
            null,
            null,
            null,
            "regression",
            "mean",
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    TablePreprocessing prep = TablePreprocessing.fit(spec, t, rows, List.of(), false);
    float[] expected = t.numeric.clone();
    for (TablePreprocessing.Column c : prep.columns()) {
      int slot = t.slot[c.index()];
      for (int r = 0; r < t.rows; r++) {
        float v = expected[r * t.numericColumns + slot];
        expected[r * t.numericColumns + slot] =
            ((Float.isNaN(v) ? c.fill() : v) - c.center()) / c.scale();
      }
    }
    try {
      TablePreprocessing.twoThreadsFromCells = 0; // rows split between two threads
      assertThat(prep.features(t, rows)).isEqualTo(expected);
    } finally {
      TablePreprocessing.twoThreadsFromCells = 1L << 22;
    }
  }

  private DataSplits load(Path file, Object label, String missing, String task) throws Exception {
    CsvSpec spec =
        new CsvSpec(
            file.toString(),
            null,
            null,
            label,
            null,
            null,
            null,
            null,
            null,
            task,
            missing,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    return new CsvDatasetFactory(tmp.resolve("cache")).load(spec, s -> {});
  }

  /**
   * The rows are looked through for empty cells only when the reading counted some: a table whose
   * only empty cell is categorical, or a label, is refused with missing: error and loses that row
   * with missing: drop, as before.
   */
  @Test
  void anEmptyCategoryOrLabelIsStillFoundWhenItIsTheOnlyOne() throws Exception {
    String rows = "a,sky,y\n1,clear,p\n2,cloudy,q\n3,clear,p\n4,cloudy,q\n5,clear,p\n6,cloudy,q\n";
    Path sky = Files.writeString(tmp.resolve("sky.csv"), rows.replace("3,clear", "3,"));
    assertThatThrownBy(() -> load(sky, "y", null, null))
        .hasMessage(
            sky
                + ":4: column 'sky': no value (an empty, NA or NaN cell); set data.missing to drop (leave such rows out)"
                + " or mean (fill in the training rows' mean)");
    DataSplits dropped = load(sky, "y", "drop", null);
    assertThat(dropped.train().count() + dropped.test().count()).isEqualTo(5);
    Path label =
        Files.writeString(tmp.resolve("label.csv"), rows.replace("4,cloudy,q", "4,cloudy,"));
    assertThatThrownBy(() -> load(label, "y", null, null))
        .hasMessage(
            label
                + ":5: column 'y': no value (an empty, NA or NaN cell); set data.missing to drop (leave such rows out)");
    Path number =
        Files.writeString(tmp.resolve("number.csv"), "a,y\n1,1\n2,2\n3,\n4,2\n5,1\n6,2\n");
    assertThatThrownBy(() -> load(number, "y", null, null))
        .hasMessage(
            number
                + ":4: column 'y': no value (an empty, NA or NaN cell); set data.missing to drop (leave such rows out)");
  }

  /** A numeric label's class is looked up once per distinct value; each row still gets its own. */
  @Test
  void numericClassesPerRow() throws Exception {
    Path f =
        Files.writeString(
            tmp.resolve("classes.csv"), "a,y\n1,3\n2,1\n3,3\n4,2\n5,1\n6,2\n7,3\n8,1\n");
    CsvSpec spec =
        new CsvSpec(
            null,
            f.toString(),
            f.toString(),
            "y",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            "none",
            null,
            null,
            null,
            null,
            null,
            null);
    DataSplits d = new CsvDatasetFactory(tmp.resolve("cache")).load(spec, s -> {});
    assertThat(d.classes()).containsExactly("1", "2", "3");
    assertThat(d.train().labels()).containsExactly(2, 0, 2, 1, 0, 1, 2, 0);
  }

  /**
   * Bytes read as characters by {@link Utf8Part}, in pieces of any length, against Java's reader.
   */
  @Test
  void utf8PartsDecodeAsJavasReader() throws Exception {
    Random random = new Random(11);
    byte[][] pieces = {
      "ab,1\n".getBytes(StandardCharsets.UTF_8),
      "caf\u00e9".getBytes(StandardCharsets.UTF_8),
      "\u20ac\ud83d\ude00".getBytes(StandardCharsets.UTF_8),
      {(byte) 0xE2, (byte) 0x82},
      {(byte) 0xFF},
      {(byte) 0xF0, (byte) 0x9F},
      {(byte) 0xC3}
    };
    for (int n = 0; n < 300; n++) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      int count = random.nextInt(3000);
      for (int k = 0; k < count; k++) {
        out.writeBytes(pieces[random.nextInt(20) == 0 ? random.nextInt(pieces.length) : 0]);
      }
      byte[] bytes = out.toByteArray();
      Path f = Files.write(tmp.resolve("u" + n), bytes);
      int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
      int to = from + random.nextInt(bytes.length - from + 1);
      // Java's strict reader: the characters, or an error for a malformed sequence
      String expected;
      try {
        expected =
            StandardCharsets.UTF_8
                .newDecoder()
                .decode(java.nio.ByteBuffer.wrap(bytes, from, to - from))
                .toString();
      } catch (java.nio.charset.CharacterCodingException e) {
        expected = null;
      }
      StringBuilder got = new StringBuilder();
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f);
          Utf8Part part = new Utf8Part(ch, from, to)) {
        char[] buf = new char[1 + random.nextInt(20000)];
        int k;
        while ((k = part.read(buf, 0, 1 + random.nextInt(buf.length))) >= 0) {
          got.append(buf, 0, k);
        }
      } catch (java.nio.charset.CharacterCodingException e) {
        assertThat(expected).as("part %d: %s", n, e).isNull();
        continue;
      }
      assertThat(got.toString()).isEqualTo(expected);
      // the scan's own check agrees, at any block size
      for (int block : new int[] {8, 64, 1 << 20}) {
        CsvSplit.Counts counts = new CsvSplit.Counts(block);
        for (int at = from; at < to; at += block) {
          byte[] a = java.util.Arrays.copyOfRange(bytes, at, Math.min(to, at + block));
          counts.add(a, a.length);
        }
        assertThat(counts.badUtf8 < 0 && !counts.utf8Unfinished()).isTrue();
      }
    }
  }

  /** The scan finds the first byte that is not UTF-8 where Java's strict decoder does. */
  @Test
  void theScanFindsTheFirstByteThatIsNotUtf8() {
    Random random = new Random(12);
    byte[][] pieces = {
      "ab,1\n".getBytes(StandardCharsets.UTF_8),
      "caf\u00e9".getBytes(StandardCharsets.UTF_8),
      "\u20ac\ud83d\ude00\uffff".getBytes(StandardCharsets.UTF_8),
      {(byte) 0xE2, (byte) 0x82},
      {(byte) 0xFF},
      {(byte) 0xC0, (byte) 0x80}, // an overlong NUL
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a surrogate
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // past U+10FFFF
      {(byte) 0xE0, (byte) 0x80, (byte) 0x80}, // overlong
      {(byte) 0xF0, (byte) 0x9F},
      {(byte) 0xC3}
    };
    for (int n = 0; n < 2000; n++) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      int count = 1 + random.nextInt(200);
      for (int k = 0; k < count; k++) {
        out.writeBytes(pieces[random.nextInt(10) == 0 ? random.nextInt(pieces.length) : 0]);
      }
      byte[] bytes = out.toByteArray();
      var dec = StandardCharsets.UTF_8.newDecoder();
      java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
      var result = dec.decode(in, java.nio.CharBuffer.allocate(bytes.length * 2), true);
      long expected = result.isError() ? in.position() : -1;
      boolean truncated = false;
      if (!result.isError()) {
        truncated = dec.flush(java.nio.CharBuffer.allocate(4)).isError();
      }
      for (int block : new int[] {7, 8, 64, 1 << 20}) {
        CsvSplit.Counts counts = new CsvSplit.Counts(block);
        for (int at = 0; at < bytes.length; at += block) {
          byte[] a = java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + block));
          counts.add(a, a.length);
        }
        if (expected >= 0 && expected + 4 > bytes.length && counts.badUtf8 < 0) {
          // a sequence cut off by the end of the file: Java reports it where it starts
          assertThat(counts.utf8Unfinished()).as("case %d, block %d", n, block).isTrue();
        } else {
          assertThat(counts.badUtf8).as("case %d, block %d", n, block).isEqualTo(expected);
        }
        assertThat(truncated).isFalse();
      }
    }
  }
}
