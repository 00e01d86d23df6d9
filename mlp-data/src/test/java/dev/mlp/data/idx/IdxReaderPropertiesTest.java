package dev.mlp.data.idx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlp.core.random.Rng;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of {@link IdxReader}: every valid file reads back exactly, and every damaged one gives
 * either a valid result or one line naming the file — never another exception, and never more
 * memory than the bytes that actually arrived. Each case comes from a seed (its number is in the
 * test's name and in every assertion's message), so a failure repeats exactly.
 */
class IdxReaderPropertiesTest {
  static final String NAME = "gen-idx";
  static final long MAX_DATA = 256 << 20;
  static final int[] TYPES = {0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E};

  /**
   * 300 cases per property, 100 for the cuts (each reads every prefix), 500 for the cheap damaged
   * ones; {@code -Dmlp.tries=N} runs N of each for a longer hunt.
   */
  static LongStream seeds() {
    return LongStream.range(0, Long.getLong("mlp.tries", 300));
  }

  static LongStream fewerSeeds() {
    return LongStream.range(0, Long.getLong("mlp.tries", 100));
  }

  static LongStream moreSeeds() {
    return LongStream.range(0, Long.getLong("mlp.tries", 500));
  }

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

  // ---- generators

  /** Any element type, 1 to 4 dimensions of 0 to 5, random data of the size they make. */
  static Valid valid(Rng rng) {
    int dtype = TYPES[rng.nextInt(TYPES.length)];
    int[] dims = new int[1 + rng.nextInt(4)];
    int n = IdxFile.elementSize(dtype);
    for (int i = 0; i < dims.length; i++) {
      dims[i] = rng.nextInt(6);
      n *= dims[i];
    }
    return new Valid(dtype, dims, bytes(rng, n));
  }

  static Mode mode(Rng rng) {
    return Mode.values()[rng.nextInt(Mode.values().length)];
  }

  /** {@code n} random bytes; a quarter of the time mostly edge values (0, -1, 127, -128). */
  static byte[] bytes(Rng rng, int n) {
    byte[] b = new byte[n];
    boolean edgy = rng.nextInt(4) == 0;
    for (int i = 0; i < n; i++) {
      b[i] = edgy && rng.nextInt(2) == 0 ? anyByte(rng) : (byte) rng.nextInt(256);
    }
    return b;
  }

  /** Any byte, the edge values often. */
  static byte anyByte(Rng rng) {
    return rng.nextInt(4) == 0
        ? new byte[] {0, 1, -1, 127, -128, 8}[rng.nextInt(6)]
        : (byte) rng.nextInt(256);
  }

  /** A length in [0, max], small ones more likely (as a property-test generator would). */
  static int length(Rng rng, int max) {
    return rng.nextInt(1 + rng.nextInt(max + 1));
  }

  // ---- properties

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void validFilesReadBackExactly(long seed) throws IOException {
    Rng rng = Rng.derive(seed, "valid idx");
    Valid f = valid(rng);
    Mode mode = mode(rng);
    String as = String.format("seed %d: %s %s", seed, f, mode);
    IdxFile got;
    try {
      got = IdxReader.read(stream(f.bytes(), mode), NAME, size(f.bytes(), mode), MAX_DATA);
    } catch (IOException | RuntimeException e) {
      throw new AssertionError(as + ": " + e, e);
    }
    assertThat(got.dtype()).as(as).isEqualTo(f.dtype());
    assertThat(got.dims()).as(as).containsExactly(f.dims());
    assertThat(got.data()).as(as).containsExactly(f.data());
    assertThat(got.name()).as(as).isEqualTo(NAME);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("fewerSeeds")
  void validFilesCutAtEveryLengthAreRefused(long seed) {
    Rng rng = Rng.derive(seed, "cut idx");
    Valid f = valid(rng);
    Mode mode = mode(rng);
    byte[] whole = encode(f.bytes(), mode);
    for (int cut = 0; cut < whole.length; cut++) {
      byte[] part = Arrays.copyOf(whole, cut);
      long known = mode == Mode.RAW_SIZED ? cut : -1;
      String as = String.format("seed %d: %s %s cut at %d", seed, f, mode, cut);
      assertThat(outcome(as, part, known, f.bytes().length)).as(as).isNull();
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("moreSeeds")
  void corruptHeaderBytesGiveAValidFileOrOneNamedLine(long seed) {
    Rng rng = Rng.derive(seed, "corrupt idx header");
    Valid f = valid(rng);
    Mode mode = mode(rng);
    byte[] raw = f.bytes();
    int index = rng.nextInt(f.headerLength());
    byte value = anyByte(rng);
    raw[index] = value;
    String as = String.format("seed %d: %s %s, byte %d set to 0x%02x", seed, f, mode, index, value);
    outcome(as, encode(raw, mode), size(raw, mode), raw.length);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void corruptGzipBytesGiveTheSameFileOrOneNamedLine(long seed) {
    Rng rng = Rng.derive(seed, "corrupt gzip");
    Valid f = valid(rng);
    byte[] gz = IdxBytes.gzip(f.bytes());
    int index = rng.nextInt(gz.length);
    int xor = 1 + rng.nextInt(255);
    gz[index] ^= (byte) xor;
    String as = String.format("seed %d: %s gzip, byte %d ^ 0x%02x", seed, f, index, xor);
    IdxFile got = outcome(as, gz, -1, f.bytes().length);
    if (got != null) { // e.g. a flipped time stamp: the CRC proves the content
      assertThat(got.dims()).as(as).containsExactly(f.dims());
      assertThat(got.data()).as(as).containsExactly(f.data());
    }
  }

  /** A known element type three times in four, else any byte. */
  static int anyType(Rng rng) {
    return rng.nextInt(4) < 3 ? TYPES[rng.nextInt(TYPES.length)] : rng.nextInt(256);
  }

  /** Mostly small sizes, so that some declarations match the data that follows. */
  static int anyDim(Rng rng) {
    int k = rng.nextInt(10);
    if (k < 8) {
      return rng.nextInt(13);
    } else if (k == 8) {
      return -1 - rng.nextInt(3);
    }
    return rng.nextInt(3) == 0
        ? new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE, 1 << 16, 1 << 30}[rng.nextInt(4)]
        : (int) rng.nextLong();
  }

  /** A random header (dimension count and sizes) and, half the time, the data it asks for. */
  private static IdxFile randomHeader(long seed) {
    Rng rng = Rng.derive(seed, "random idx header");
    int dtype = anyType(rng);
    int ndims = rng.nextInt(10);
    int given = length(rng, 9); // the dimensions beyond those given are 1
    byte[] data = bytes(rng, length(rng, 600));
    boolean fit = rng.nextInt(2) == 0;
    Mode mode = mode(rng);
    int[] declared = new int[ndims];
    long bytes = IdxFile.elementSize(dtype);
    for (int i = 0; i < ndims; i++) {
      declared[i] = i < given ? anyDim(rng) : 1;
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
    String as =
        String.format(
            "seed %d: type 0x%02x, dims %s, %d data bytes, %s",
            seed, dtype, Arrays.toString(declared), data.length, mode);
    return outcome(as, encode(raw, mode), size(raw, mode), raw.length);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("moreSeeds")
  void randomHeadersGiveAValidFileOrOneNamedLine(long seed) {
    randomHeader(seed);
  }

  /** The random headers are not only refusals: more than 10% of the first 300 are valid (58). */
  @Test
  void randomHeadersAreOftenValid() {
    int valid = 0;
    for (long seed = 0; seed < 300; seed++) {
      valid += randomHeader(seed) == null ? 0 : 1;
    }
    assertThat(valid).as("valid files among 300 random headers").isGreaterThan(30);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("moreSeeds")
  void randomBytesGiveAValidFileOrOneNamedLine(long seed) {
    Rng rng = Rng.derive(seed, "random idx bytes");
    // random bytes almost never start like an IDX file: let some start with 00 00 or 00 00 08
    int help = rng.nextInt(3);
    byte[] tail = bytes(rng, length(rng, 300));
    Mode mode = mode(rng);
    byte[] head = new byte[] {0, 0, 8};
    byte[] raw = new byte[(help == 0 ? 0 : help + 1) + tail.length];
    System.arraycopy(head, 0, raw, 0, raw.length - tail.length);
    System.arraycopy(tail, 0, raw, raw.length - tail.length, tail.length);
    String as = String.format("seed %d: %d bytes %s, %s", seed, raw.length, hex(raw), mode);
    outcome(as, encode(raw, mode), size(raw, mode), raw.length);
  }

  // ---- checks

  /**
   * Reads {@code bytes}: the file, or null after checking the failure is one line naming it. Either
   * way the reader allocated no more than a few times what the content could hold. {@code as}
   * describes the case (with its seed) in every failure.
   */
  private static IdxFile outcome(String as, byte[] bytes, long knownSize, int contentLength) {
    IdxFile got = null;
    IOException failure = null;
    long before = allocatedBytes();
    try {
      got = IdxReader.read(new ByteArrayInputStream(bytes), NAME, knownSize, MAX_DATA);
    } catch (IOException e) {
      failure = e;
    } catch (RuntimeException e) {
      throw new AssertionError(as + ": " + e + " escaped", e);
    }
    long allocated = allocatedBytes() - before;
    if (failure != null) {
      assertThat(failure.getMessage())
          .as(as)
          .startsWith(NAME + ": ")
          .doesNotContainPattern("[\\x{00}-\\x{1f}\\x{7f}-\\x{9f}\\x{2028}\\x{2029}]");
    } else {
      assertThat(IdxFile.elementSize(got.dtype())).as(as).isPositive();
      assertThat(got.count() * IdxFile.elementSize(got.dtype()))
          .as(as)
          .isEqualTo(got.data().length);
    }
    // buffers of 64 KiB (input, inflater, the first chunk), loading classes the first time, and
    // what arrived, doubled; never what a header only declares (up to MAX_DATA)
    assertThat(allocated).as(as + ", bytes allocated").isLessThan((1 << 20) + 4L * contentLength);
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

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(b.length, 24); i++) {
      s.append(String.format("%02x", b[i]));
    }
    return b.length > 24 ? s + "…" : s.toString();
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }
}
