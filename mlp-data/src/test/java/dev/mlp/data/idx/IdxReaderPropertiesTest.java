package dev.mlp.data.idx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of {@link IdxReader}: every valid file reads back exactly, and every damaged one gives
 * either a valid result or one line naming the file — never another exception, and never more
 * memory than the bytes that actually arrived.
 */
class IdxReaderPropertiesTest {
  static final String NAME = "gen-idx";
  static final long MAX_DATA = 256 << 20;

  /** How the bytes reach the reader. */
  enum Mode {
    /** uncompressed, its length known (as for a file) */
    RAW_SIZED,
    /** uncompressed, its length unknown */
    RAW_STREAM,
    /** gzip-compressed */
    GZIP
  }

  /** A valid IDX file. */
  record Valid(int dtype, int[] dims, byte[] data) {
    byte[] bytes() {
      return IdxBytes.idx(dtype, dims, data);
    }

    int headerLength() {
      return 4 + 4 * dims.length;
    }

    @Override
    public String toString() {
      return String.format("0x%02x %s (%d bytes)", dtype, Arrays.toString(dims), data.length);
    }
  }

  @Provide
  Arbitrary<Valid> valid() {
    Arbitrary<Integer> dtype = Arbitraries.of(0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E);
    Arbitrary<int[]> dims =
        Arbitraries.integers().between(0, 5).array(int[].class).ofMinSize(1).ofMaxSize(4);
    return Combinators.combine(dtype, dims)
        .flatAs(
            (t, d) -> {
              int n = IdxFile.elementSize(t);
              for (int x : d) {
                n *= x;
              }
              return Arbitraries.bytes()
                  .array(byte[].class)
                  .ofSize(n)
                  .map(data -> new Valid(t, d, data));
            });
  }

  @Property(tries = 300)
  void validFilesReadBackExactly(@ForAll("valid") Valid f, @ForAll Mode mode) throws IOException {
    IdxFile got = IdxReader.read(stream(f.bytes(), mode), NAME, size(f.bytes(), mode), MAX_DATA);
    assertThat(got.dtype()).isEqualTo(f.dtype());
    assertThat(got.dims()).containsExactly(f.dims());
    assertThat(got.data()).containsExactly(f.data());
    assertThat(got.name()).isEqualTo(NAME);
  }

  @Property(tries = 100)
  void validFilesCutAtEveryLengthAreRefused(@ForAll("valid") Valid f, @ForAll Mode mode) {
    byte[] whole = encode(f.bytes(), mode);
    for (int cut = 0; cut < whole.length; cut++) {
      byte[] part = Arrays.copyOf(whole, cut);
      long known = mode == Mode.RAW_SIZED ? cut : -1;
      assertThat(outcome(part, known, f.bytes().length)).as("cut at %d", cut).isNull();
    }
  }

  @Property(tries = 500)
  void corruptHeaderBytesGiveAValidFileOrOneNamedLine(
      @ForAll("valid") Valid f,
      @ForAll @IntRange(min = 0, max = 35) int index,
      @ForAll byte value,
      @ForAll Mode mode) {
    byte[] raw = f.bytes();
    raw[index % f.headerLength()] = value;
    outcome(encode(raw, mode), size(raw, mode), raw.length);
  }

  @Property(tries = 300)
  void corruptGzipBytesGiveTheSameFileOrOneNamedLine(
      @ForAll("valid") Valid f,
      @ForAll @IntRange(min = 0, max = 1 << 16) int index,
      @ForAll @IntRange(min = 1, max = 255) int xor) {
    byte[] gz = IdxBytes.gzip(f.bytes());
    gz[index % gz.length] ^= (byte) xor;
    IdxFile got = outcome(gz, -1, f.bytes().length);
    if (got != null) { // e.g. a flipped time stamp: the CRC proves the content
      assertThat(got.dims()).containsExactly(f.dims());
      assertThat(got.data()).containsExactly(f.data());
    }
  }

  @Provide
  Arbitrary<Integer> anyType() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of(0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E)),
        Tuple.of(1, Arbitraries.integers().between(0, 255)));
  }

  @Provide
  Arbitrary<int[]> anyDims() {
    // mostly small sizes, so that some declarations match the data that follows
    Arbitrary<Integer> dim =
        Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.integers().between(0, 12)),
            Tuple.of(1, Arbitraries.integers().between(-3, -1)),
            Tuple.of(1, Arbitraries.integers()));
    return dim.array(int[].class).ofMaxSize(9);
  }

  @Property(tries = 500)
  void randomHeadersGiveAValidFileOrOneNamedLine(
      @ForAll("anyType") int dtype,
      @ForAll @IntRange(min = 0, max = 9) int ndims,
      @ForAll("anyDims") int[] dims,
      @ForAll @Size(max = 600) byte[] data,
      @ForAll boolean fit,
      @ForAll Mode mode) {
    int[] declared = new int[ndims];
    long bytes = IdxFile.elementSize(dtype);
    for (int i = 0; i < ndims; i++) {
      declared[i] = i < dims.length ? dims[i] : 1;
      bytes *= declared[i];
    }
    if (fit && bytes >= 0 && bytes <= 4096) { // often give the data the declaration asks for
      data = Arrays.copyOf(data, (int) bytes);
    }
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * ndims + data.length);
    b.putInt((dtype << 8) | ndims);
    for (int d : declared) {
      b.putInt(d);
    }
    byte[] raw = b.put(data).array();
    IdxFile got = outcome(encode(raw, mode), size(raw, mode), raw.length);
    Statistics.label("outcome").collect(got == null ? "refused" : "valid");
    Statistics.label("outcome")
        .coverage(c -> c.check("valid").percentage(p -> p > 10)); // not only refusals
  }

  @Property(tries = 500)
  void randomBytesGiveAValidFileOrOneNamedLine(
      @ForAll @IntRange(min = 0, max = 2) int help,
      @ForAll @Size(max = 300) byte[] tail,
      @ForAll Mode mode) {
    // random bytes almost never start like an IDX file: let some start with 00 00 or 00 00 08
    byte[] head = new byte[] {0, 0, 8};
    byte[] raw = new byte[(help == 0 ? 0 : help + 1) + tail.length];
    System.arraycopy(head, 0, raw, 0, raw.length - tail.length);
    System.arraycopy(tail, 0, raw, raw.length - tail.length, tail.length);
    outcome(encode(raw, mode), size(raw, mode), raw.length);
  }

  /**
   * Reads {@code bytes}: the file, or null after checking the failure is one line naming it. Either
   * way the reader allocated no more than a few times what the content could hold.
   */
  private static IdxFile outcome(byte[] bytes, long knownSize, int contentLength) {
    IdxFile got = null;
    IOException failure = null;
    long before = allocatedBytes();
    try {
      got = IdxReader.read(new ByteArrayInputStream(bytes), NAME, knownSize, MAX_DATA);
    } catch (IOException e) {
      failure = e;
    }
    long allocated = allocatedBytes() - before;
    if (failure != null) {
      assertThat(failure.getMessage())
          .startsWith(NAME + ": ")
          .doesNotContainPattern("[\\x{00}-\\x{1f}\\x{7f}-\\x{9f}\\x{2028}\\x{2029}]");
    } else {
      assertThat(IdxFile.elementSize(got.dtype())).isPositive();
      assertThat(got.count() * IdxFile.elementSize(got.dtype())).isEqualTo(got.data().length);
    }
    // buffers of 64 KiB (input, inflater, the first chunk), loading classes the first time, and
    // what arrived, doubled; never what a header only declares (up to MAX_DATA)
    assertThat(allocated).isLessThan((1 << 20) + 4L * contentLength);
    return got;
  }

  private static ByteArrayInputStream stream(byte[] raw, Mode mode) {
    return new ByteArrayInputStream(encode(raw, mode));
  }

  private static byte[] encode(byte[] raw, Mode mode) {
    return mode == Mode.GZIP ? IdxBytes.gzip(raw) : raw.clone();
  }

  private static long size(byte[] raw, Mode mode) {
    return mode == Mode.RAW_SIZED ? raw.length : -1;
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }
}
