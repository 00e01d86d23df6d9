package dev.mlp.run.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlp.core.random.Rng;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of {@link Safetensors}: what is written reads back bit for bit, and a damaged or lying
 * file gives either a consistent result or one {@link CheckpointException} line naming the file.
 * Each case comes from a seed (its number is in the test's name, the file's name and every
 * assertion's message), so a failure repeats exactly.
 */
class SafetensorsPropertiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NF = JsonNodeFactory.instance;

  /** What must not be in a one-line message: line breaks and other control characters. */
  static final String CONTROL = "[\\x{00}-\\x{1f}\\x{7f}-\\x{9f}\\x{2028}\\x{2029}]";

  private static Path dir;

  /**
   * 300 cases per property, 500 for the damaged and lying files; {@code -Dmlp.tries=N} runs N of
   * each for a longer hunt.
   */
  static LongStream seeds() {
    return LongStream.range(0, Long.getLong("mlp.tries", 300));
  }

  static LongStream moreSeeds() {
    return LongStream.range(0, Long.getLong("mlp.tries", 500));
  }

  @BeforeAll
  static void makeDir() throws IOException {
    // every write forces the file to disk: in memory (tmpfs) where there is one, that costs nothing
    Path shm = Path.of("/dev/shm");
    dir =
        Files.isDirectory(shm) && Files.isWritable(shm)
            ? Files.createTempDirectory(shm, "safetensors-properties")
            : Files.createTempDirectory("safetensors-properties");
  }

  @AfterAll
  static void removeDir() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** What one property writes: tensors in order and metadata. */
  record Checkpoint(List<Safetensors.Tensor> tensors, Map<String, String> metadata) {
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder("metadata " + quoted(metadata));
      for (Safetensors.Tensor t : tensors) {
        b.append(String.format("%n  %s %s", quote(t.name()), Arrays.toString(t.shape())));
        for (float v : t.data()) {
          b.append(String.format(" %08x", Float.floatToRawIntBits(v)));
        }
      }
      return b.toString();
    }
  }

  // ---- generators

  private static final String[] TEXTS = {
    "", "__metadata__", "a\nb", "\"", "\\", "é", "😀", "\u0000", "{}"
  };
  private static final char[] EDGE_CHARS = {
    '\u0000', '\n', '\r', '\u001b', '\u007f', '\u0085', '\u2028', '\u2029', '\uFEFF', '\uD800',
    '\uDBFF', '\uDC00', '\uDFFF', '\uFFFF', '"', '\\'
  };

  /** Any Unicode text, with control characters and characters beyond the BMP. */
  static String text(Rng rng) {
    return unicode(anyText(rng));
  }

  /**
   * Any text of up to 12 characters, also with unpaired surrogates (which JSON cannot hold): any
   * chars (edge ones and pairs beyond the BMP often), ASCII, or a known troublemaker.
   */
  static String anyText(Rng rng) {
    int length = rng.nextInt(1 + rng.nextInt(13));
    StringBuilder b = new StringBuilder();
    switch (rng.nextInt(3)) {
      case 0 -> {
        while (b.length() < length) {
          switch (rng.nextInt(6)) {
            case 0 -> b.append(EDGE_CHARS[rng.nextInt(EDGE_CHARS.length)]);
            case 1 -> b.appendCodePoint(0x10000 + rng.nextInt(0x100000));
            default -> b.append((char) rng.nextInt(0x10000));
          }
        }
      }
      case 1 -> {
        for (int i = 0; i < length; i++) {
          b.append((char) rng.nextInt(128));
        }
      }
      default -> b.append(TEXTS[rng.nextInt(TEXTS.length)]);
    }
    return b.toString();
  }

  /** Any float bits, with NaN payloads, signed zeros, subnormals and infinities often. */
  static float anyFloat(Rng rng) {
    int sign = rng.nextInt(2) == 0 ? 0 : 0x8000_0000;
    int mantissa = rng.nextInt(0x0080_0000);
    int k = rng.nextInt(7);
    int bits;
    if (k < 4) {
      bits = (int) rng.nextLong();
    } else if (k == 4) { // infinities and NaNs, quiet and signalling, with any payload
      bits = sign | 0x7f80_0000 | mantissa;
    } else if (k == 5) { // zeros and subnormals
      bits = sign | mantissa;
    } else {
      bits = new int[] {0x8000_0000, 0x7f80_0000, 0xff80_0000, 0x7fc0_0000, 1}[rng.nextInt(5)];
    }
    return Float.intBitsToFloat(bits);
  }

  /** A tensor of up to 3 dimensions of 0 to 4, of any float bits. */
  static Safetensors.Tensor tensor(Rng rng, String name) {
    long[] shape = new long[rng.nextInt(4)];
    int n = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = rng.nextInt(5);
      n *= (int) shape[i];
    }
    float[] data = new float[n];
    for (int i = 0; i < n; i++) {
      data[i] = anyFloat(rng);
    }
    return new Safetensors.Tensor(name, shape, data);
  }

  /** Up to 5 tensors of distinct names (never __metadata__) and up to 4 metadata entries. */
  static Checkpoint checkpoint(Rng rng) {
    Set<String> names = new LinkedHashSet<>();
    for (int n = rng.nextInt(6); n > 0; n--) {
      String name = text(rng);
      if (!name.equals("__metadata__")) {
        names.add(name);
      }
    }
    List<Safetensors.Tensor> tensors = new ArrayList<>();
    for (String name : names) {
      tensors.add(tensor(rng, name));
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    for (int n = rng.nextInt(5); n > 0; n--) {
      metadata.put(text(rng), text(rng));
    }
    return new Checkpoint(tensors, metadata);
  }

  /** {@code s} with each unpaired surrogate replaced by U+FFFD. */
  static String unicode(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        b.append(c).append(s.charAt(++i));
      } else {
        b.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return b.toString();
  }

  // ---- properties

  /** Writes {@code c} to a file named for the property and the seed. */
  private static Path written(String property, long seed, Checkpoint c) throws IOException {
    Path f = dir.resolve(property + "-" + seed + ".safetensors");
    try {
      Safetensors.write(f, c.metadata(), c.tensors());
    } catch (RuntimeException e) {
      throw new AssertionError("seed " + seed + ": " + e + " writing " + c, e);
    }
    return f;
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void whatIsWrittenReadsBackBitForBit(long seed) throws IOException {
    Checkpoint c = checkpoint(Rng.derive(seed, "checkpoint"));
    Path f = written("roundtrip", seed, c);
    assertSame(seed, c, read(seed, f, c), true);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void theOrderOfTheHeaderEntriesDoesNotMatter(long seed) throws IOException {
    Checkpoint c = checkpoint(Rng.derive(seed, "checkpoint"));
    Path f = written("shuffled", seed, c);
    byte[] b = Files.readAllBytes(f);
    int n = (int) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    ObjectNode header = (ObjectNode) JSON.readTree(Arrays.copyOfRange(b, 8, 8 + n));
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
    header.fields().forEachRemaining(entries::add);
    int[] order = new int[entries.size()];
    Arrays.setAll(order, i -> i);
    Rng.derive(seed, "header order").shuffle(order);
    ObjectNode shuffled = JSON.createObjectNode();
    for (int i : order) {
      shuffled.set(entries.get(i).getKey(), entries.get(i).getValue());
    }
    Files.write(f, file(JSON.writeValueAsBytes(shuffled), Arrays.copyOfRange(b, 8 + n, b.length)));
    assertSame(seed, c, read(seed, f, c + "\nheader order " + Arrays.toString(order)), false);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void aCutFileIsOneLineNamingIt(long seed) throws IOException {
    Rng rng = Rng.derive(seed, "cut checkpoint");
    Checkpoint c = checkpoint(rng);
    Path f = written("cut", seed, c);
    byte[] b = Files.readAllBytes(f);
    int cut = rng.nextInt(b.length);
    Files.write(f, Arrays.copyOf(b, cut));
    String as = String.format("seed %d: cut at %d of %d bytes, %s", seed, cut, b.length, c);
    assertThat(outcome(as, f)).as(as).isNull();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("moreSeeds")
  void flippedBytesInTheLengthOrHeaderGiveAResultOrOneLine(long seed) throws IOException {
    Rng rng = Rng.derive(seed, "flipped checkpoint");
    Checkpoint c = checkpoint(rng);
    Path f = written("flipped", seed, c);
    byte[] b = Files.readAllBytes(f);
    int headerEnd = 8 + (int) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    StringBuilder flips = new StringBuilder();
    for (int i = 1 + rng.nextInt(3); i > 0; i--) {
      int where = rng.nextInt(headerEnd);
      int xor = 1 + rng.nextInt(255);
      b[where] ^= (byte) xor;
      flips.append(String.format(" %d^0x%02x", where, xor));
    }
    Files.write(f, b);
    outcome(String.format("seed %d: flipped%s, %s", seed, flips, c), f);
  }

  /** Writes a lying header for {@code seed} and reads it: the contents, or null if refused. */
  private static Safetensors.Contents lying(long seed) throws IOException {
    Rng rng = Rng.derive(seed, "lying header");
    JsonNode header = lyingHeader(rng);
    int floats = rng.nextInt(65);
    Path f = dir.resolve("lying-" + seed + ".safetensors");
    Files.write(f, file(JSON.writeValueAsBytes(header), new byte[4 * floats + floats % 3]));
    return outcome(
        String.format("seed %d: %d data bytes, header %s", seed, 4 * floats + floats % 3, header),
        f);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("moreSeeds")
  void lyingHeadersGiveAResultOrOneLine(long seed) throws IOException {
    lying(seed);
  }

  /** The lying headers are not only refusals: more than 3% of the first 300 read (64). */
  @Test
  void lyingHeadersAreSometimesRead() throws IOException {
    int read = 0;
    for (long seed = 0; seed < 300; seed++) {
      read += lying(seed) == null ? 0 : 1;
    }
    assertThat(read).as("files read among 300 lying headers").isGreaterThan(9);
  }

  private static final String[] DTYPES = {"F32", "F32", "F32", "F16", "I64", "f32", ""};

  /** Any long, the edge values often. */
  static long anyLong(Rng rng) {
    return rng.nextInt(4) == 0
        ? new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 31, 1L << 32, 1L << 62}
            [rng.nextInt(8)]
        : rng.nextLong() >> rng.nextInt(64);
  }

  static JsonNode number(Rng rng) {
    return switch (rng.nextInt(3)) {
      case 0 -> NF.numberNode(-2 + rng.nextInt(303));
      case 1 -> NF.numberNode(anyLong(rng));
      default ->
          switch (rng.nextInt(4)) {
            case 0 -> NF.numberNode(1.5);
            case 1 -> NF.numberNode(new BigInteger("99999999999999999999"));
            case 2 -> NF.textNode("4");
            default -> NF.nullNode();
          };
    };
  }

  static JsonNode numbers(Rng rng) {
    ArrayNode a = NF.arrayNode();
    for (int n = rng.nextInt(10); n > 0; n--) {
      a.add(number(rng));
    }
    return a;
  }

  static JsonNode dtype(Rng rng) {
    return NF.textNode(DTYPES[rng.nextInt(DTYPES.length)]);
  }

  static JsonNode anyValue(Rng rng) {
    return switch (rng.nextInt(3)) {
      case 0 -> number(rng);
      case 1 -> numbers(rng);
      default -> dtype(rng);
    };
  }

  static JsonNode offsets(Rng rng) {
    return NF.arrayNode().add(-4 + rng.nextInt(305)).add(-4 + rng.nextInt(305));
  }

  /** Plausible: a small F32 shape and offsets that fit it from some start, or miss by a byte. */
  static JsonNode plausible(Rng rng) {
    ObjectNode e = NF.objectNode().put("dtype", "F32");
    long n = 1;
    ArrayNode dims = e.putArray("shape");
    for (int i = rng.nextInt(4); i > 0; i--) {
      long d = rng.nextInt(5);
      dims.add(d);
      n *= d;
    }
    long start = rng.nextInt(17);
    int k = rng.nextInt(8);
    long miss = k < 6 ? 0 : k == 6 ? -1 : 1;
    e.putArray("data_offsets").add(4 * start).add(4 * start + 4 * n + miss);
    return e;
  }

  /** Each field of an entry missing (one time in ten), or of any type or value. */
  static JsonNode lyingEntry(Rng rng) {
    ObjectNode e = NF.objectNode();
    if (rng.nextInt(10) > 0) {
      e.set("dtype", dtype(rng));
    }
    if (rng.nextInt(10) > 0) {
      e.set("shape", rng.nextInt(2) == 0 ? numbers(rng) : anyValue(rng));
    }
    if (rng.nextInt(10) > 0) {
      e.set("data_offsets", rng.nextInt(4) < 3 ? offsets(rng) : anyValue(rng));
    }
    return e;
  }

  static JsonNode metadata(Rng rng) {
    ObjectNode o = NF.objectNode();
    for (int n = rng.nextInt(4); n > 0; n--) {
      o.set(anyText(rng), rng.nextInt(2) == 0 ? NF.textNode(anyText(rng)) : anyValue(rng));
    }
    return o;
  }

  /**
   * Headers that look like safetensors ones, with every field possibly wrong: up to 4 entries of
   * any names, plausible (4 in 7), lying (2 in 7) or not an entry at all, and half the time a
   * __metadata__ entry, of strings or not.
   */
  static JsonNode lyingHeader(Rng rng) {
    ObjectNode h = NF.objectNode();
    if (rng.nextInt(2) == 0) {
      h.set("__metadata__", rng.nextInt(2) == 0 ? metadata(rng) : anyValue(rng));
    }
    for (int n = rng.nextInt(5); n > 0; n--) {
      int k = rng.nextInt(7);
      h.set(anyText(rng), k < 4 ? plausible(rng) : k < 6 ? lyingEntry(rng) : anyValue(rng));
    }
    return h;
  }

  // ---- checks

  /** Reads a file that must read, as an assertion naming the seed and the case otherwise. */
  private static Safetensors.Contents read(long seed, Path f, Object c) {
    try {
      return Safetensors.read(f);
    } catch (CheckpointException | RuntimeException e) {
      throw new AssertionError("seed " + seed + ": " + e + " reading " + c, e);
    }
  }

  /**
   * Reads {@code f}: the contents after checking they are consistent, or null after checking the
   * failure is one line starting with the path. {@code as} describes the case, with its seed.
   */
  private static Safetensors.Contents outcome(String as, Path f) {
    try {
      Safetensors.Contents c = Safetensors.read(f);
      for (Safetensors.Tensor t : c.tensors().values()) {
        long n = 1;
        for (long d : t.shape()) {
          n *= d;
        }
        assertThat(t.data()).as(as).hasSize((int) n);
      }
      return c;
    } catch (CheckpointException e) {
      assertThat(e.getMessage()).as(as).startsWith(f + ": ").doesNotContainPattern(CONTROL);
      return null;
    } catch (RuntimeException e) {
      throw new AssertionError(as + ": " + e + " escaped", e);
    }
  }

  private static void assertSame(
      long seed, Checkpoint c, Safetensors.Contents got, boolean inOrder) {
    String as = "seed " + seed + ": " + c;
    List<String> names = c.tensors().stream().map(Safetensors.Tensor::name).toList();
    if (inOrder) {
      assertThat(got.tensors().keySet()).as(as).containsExactlyElementsOf(names);
    } else {
      assertThat(got.tensors().keySet()).as(as).containsExactlyInAnyOrderElementsOf(names);
    }
    for (Safetensors.Tensor t : c.tensors()) {
      Safetensors.Tensor r = got.tensors().get(t.name());
      assertThat(r.name()).as(as).isEqualTo(t.name());
      assertThat(r.shape()).as(as).containsExactly(t.shape());
      assertThat(bits(r.data())).as(as).containsExactly(bits(t.data()));
    }
    assertThat(got.metadata()).as(as).isEqualTo(c.metadata());
  }

  private static int[] bits(float[] data) {
    int[] b = new int[data.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = Float.floatToRawIntBits(data[i]);
    }
    return b;
  }

  /** A safetensors file: the header's length, the header, the data. */
  private static byte[] file(byte[] header, byte[] data) {
    return ByteBuffer.allocate(8 + header.length + data.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putLong(header.length)
        .put(header)
        .put(data)
        .array();
  }

  private static String quoted(Map<String, String> m) {
    StringBuilder b = new StringBuilder("{");
    m.forEach(
        (k, v) ->
            b.append(b.length() > 1 ? ", " : "").append(quote(k)).append(": ").append(quote(v)));
    return b.append('}').toString();
  }

  private static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
