package dev.mlp.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of {@link Safetensors}: what is written reads back bit for bit, and a damaged or lying
 * file gives either a consistent result or one {@link CheckpointException} line naming the file.
 */
class SafetensorsPropertiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What must not be in a one-line message: line breaks and other control characters. */
  static final String CONTROL = "[\\x{00}-\\x{1f}\\x{7f}-\\x{9f}\\x{2028}\\x{2029}]";

  private static Path dir;

  @BeforeContainer
  static void makeDir() throws IOException {
    // every write forces the file to disk: in memory (tmpfs) where there is one, that costs nothing
    Path shm = Path.of("/dev/shm");
    dir =
        Files.isDirectory(shm) && Files.isWritable(shm)
            ? Files.createTempDirectory(shm, "safetensors-properties")
            : Files.createTempDirectory("safetensors-properties");
  }

  @AfterContainer
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
      StringBuilder b = new StringBuilder("metadata " + metadata);
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

  /** Any Unicode text, with control characters and characters beyond the BMP. */
  static Arbitrary<String> text() {
    return anyText().map(SafetensorsPropertiesTest::unicode);
  }

  /** Any text, also with unpaired surrogates (which JSON cannot hold). */
  static Arbitrary<String> anyText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(12),
        Arbitraries.strings().ascii().ofMaxLength(12),
        Arbitraries.of("", "__metadata__", "a\nb", "\"", "\\", "é", "😀", "\u0000", "{}"));
  }

  /** Any float bits, with NaN payloads, signed zeros, subnormals and infinities often. */
  static Arbitrary<Float> floats() {
    Arbitrary<Integer> sign = Arbitraries.of(0, 0x8000_0000);
    Arbitrary<Integer> mantissa = Arbitraries.integers().between(0, 0x007f_ffff);
    return Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.integers()),
            Tuple.of(1, Combinators.combine(sign, mantissa).as((s, m) -> s | 0x7f80_0000 | m)),
            Tuple.of(1, Combinators.combine(sign, mantissa).as((s, m) -> s | m)),
            Tuple.of(1, Arbitraries.of(0x8000_0000, 0x7f80_0000, 0xff80_0000, 0x7fc0_0000, 1)))
        .map(Float::intBitsToFloat);
  }

  static Arbitrary<Safetensors.Tensor> tensor(String name) {
    return Arbitraries.longs()
        .between(0, 4)
        .array(long[].class)
        .ofMaxSize(3)
        .flatMap(
            shape -> {
              int n = 1;
              for (long d : shape) {
                n *= (int) d;
              }
              return floats()
                  .list()
                  .ofSize(n)
                  .map(
                      vs -> {
                        float[] data = new float[vs.size()];
                        for (int i = 0; i < data.length; i++) {
                          data[i] = vs.get(i);
                        }
                        return new Safetensors.Tensor(name, shape, data);
                      });
            });
  }

  @Provide
  Arbitrary<Checkpoint> checkpoints() {
    Arbitrary<List<Safetensors.Tensor>> tensors =
        text()
            .filter(n -> !n.equals("__metadata__"))
            .list()
            .uniqueElements()
            .ofMaxSize(5)
            .flatMap(
                names ->
                    Combinators.combine(names.stream().map(n -> tensor(n)).toList()).as(ts -> ts));
    Arbitrary<Map<String, String>> metadata = Arbitraries.maps(text(), text()).ofMaxSize(4);
    return Combinators.combine(tensors, metadata).as(Checkpoint::new);
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

  @Property(tries = 300)
  void whatIsWrittenReadsBackBitForBit(@ForAll("checkpoints") Checkpoint c) throws IOException {
    Path f = dir.resolve("roundtrip.safetensors");
    Safetensors.write(f, c.metadata(), c.tensors());
    assertSame(c, Safetensors.read(f), true);
  }

  @Property(tries = 300)
  void theOrderOfTheHeaderEntriesDoesNotMatter(
      @ForAll("checkpoints") Checkpoint c, @ForAll long seed) throws IOException {
    Path f = dir.resolve("shuffled.safetensors");
    Safetensors.write(f, c.metadata(), c.tensors());
    byte[] b = Files.readAllBytes(f);
    int n = (int) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    ObjectNode header = (ObjectNode) JSON.readTree(Arrays.copyOfRange(b, 8, 8 + n));
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
    header.fields().forEachRemaining(entries::add);
    Collections.shuffle(entries, new Random(seed));
    ObjectNode shuffled = JSON.createObjectNode();
    entries.forEach(e -> shuffled.set(e.getKey(), e.getValue()));
    Files.write(f, file(JSON.writeValueAsBytes(shuffled), Arrays.copyOfRange(b, 8 + n, b.length)));
    assertSame(c, Safetensors.read(f), false);
  }

  @Property(tries = 300)
  void aCutFileIsOneLineNamingIt(
      @ForAll("checkpoints") Checkpoint c, @ForAll @IntRange(min = 0) int cut) throws IOException {
    Path f = dir.resolve("cut.safetensors");
    Safetensors.write(f, c.metadata(), c.tensors());
    byte[] b = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(b, cut % b.length));
    assertThat(outcome(f)).isNull();
  }

  @Property(tries = 500)
  void flippedBytesInTheLengthOrHeaderGiveAResultOrOneLine(
      @ForAll("checkpoints") Checkpoint c,
      @ForAll @IntRange(min = 0) int where,
      @ForAll @IntRange(min = 1, max = 255) int xor,
      @ForAll @IntRange(min = 1, max = 3) int flips)
      throws IOException {
    Path f = dir.resolve("flipped.safetensors");
    Safetensors.write(f, c.metadata(), c.tensors());
    byte[] b = Files.readAllBytes(f);
    int headerEnd = 8 + (int) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    Random r = new Random(where);
    for (int i = 0; i < flips; i++) {
      b[(int) ((where + (long) r.nextInt(headerEnd)) % headerEnd)] ^=
          (byte) (i == 0 ? xor : 1 + r.nextInt(255));
    }
    Files.write(f, b);
    outcome(f);
  }

  @Property(tries = 500)
  void lyingHeadersGiveAResultOrOneLine(
      @ForAll("lyingHeaders") JsonNode header, @ForAll @IntRange(max = 64) int floats)
      throws IOException {
    Path f = dir.resolve("lying.safetensors");
    Files.write(f, file(JSON.writeValueAsBytes(header), new byte[4 * floats + floats % 3]));
    Safetensors.Contents got = outcome(f);
    Statistics.label("outcome").collect(got == null ? "refused" : "read");
    Statistics.label("outcome").coverage(c -> c.check("read").percentage(p -> p > 3));
  }

  /** Headers that look like safetensors ones, with every field possibly wrong. */
  @Provide
  Arbitrary<JsonNode> lyingHeaders() {
    JsonNodeFactory nf = JsonNodeFactory.instance;
    Arbitrary<JsonNode> number =
        Arbitraries.oneOf(
            Arbitraries.longs().between(-2, 300).map(nf::numberNode),
            Arbitraries.longs().map(nf::numberNode),
            Arbitraries.of(
                nf.numberNode(1.5),
                nf.numberNode(new java.math.BigInteger("99999999999999999999")),
                nf.textNode("4"),
                nf.nullNode()));
    Arbitrary<JsonNode> numbers =
        number
            .list()
            .ofMaxSize(9)
            .map(
                xs -> {
                  ArrayNode a = nf.arrayNode();
                  xs.forEach(a::add);
                  return a;
                });
    Arbitrary<JsonNode> dtype =
        Arbitraries.of("F32", "F32", "F32", "F16", "I64", "f32", "").map(nf::textNode);
    Arbitrary<JsonNode> anyValue = Arbitraries.oneOf(number, numbers, dtype);
    Arbitrary<JsonNode> offsets =
        Arbitraries.longs()
            .between(-4, 300)
            .list()
            .ofMinSize(2)
            .ofMaxSize(2)
            .map(
                xs -> {
                  ArrayNode a = nf.arrayNode();
                  xs.forEach(a::add);
                  return a;
                });
    // plausible: a small F32 shape and offsets that fit it from some start, or miss by a byte
    Arbitrary<JsonNode> plausible =
        Combinators.combine(
                Arbitraries.longs().between(0, 4).list().ofMaxSize(3),
                Arbitraries.longs().between(0, 16),
                Arbitraries.frequency(Tuple.of(6, 0L), Tuple.of(1, -1L), Tuple.of(1, 1L)))
            .as(
                (shape, start, miss) -> {
                  ObjectNode e = nf.objectNode().put("dtype", "F32");
                  long n = 1;
                  ArrayNode dims = e.putArray("shape");
                  for (long d : shape) {
                    dims.add(d);
                    n *= d;
                  }
                  e.putArray("data_offsets").add(4 * start).add(4 * start + 4 * n + miss);
                  return (JsonNode) e;
                });
    Arbitrary<JsonNode> lying =
        Combinators.combine(
                dtype.injectNull(0.1),
                Arbitraries.oneOf(numbers, anyValue).injectNull(0.1),
                Arbitraries.oneOf(offsets, offsets, offsets, anyValue).injectNull(0.1))
            .as(
                (d, s, o) -> {
                  ObjectNode e = nf.objectNode();
                  if (d != null) {
                    e.set("dtype", d);
                  }
                  if (s != null) {
                    e.set("shape", s);
                  }
                  if (o != null) {
                    e.set("data_offsets", o);
                  }
                  return (JsonNode) e;
                });
    Arbitrary<JsonNode> metadata =
        Arbitraries.maps(anyText(), Arbitraries.oneOf(anyText().map(nf::textNode), anyValue))
            .ofMaxSize(3)
            .map(
                m -> {
                  ObjectNode o = nf.objectNode();
                  m.forEach(o::set);
                  return (JsonNode) o;
                });
    return Combinators.combine(
            Arbitraries.maps(
                    anyText(),
                    Arbitraries.frequencyOf(
                        Tuple.of(4, plausible), Tuple.of(2, lying), Tuple.of(1, anyValue)))
                .ofMaxSize(4),
            Arbitraries.oneOf(metadata, anyValue).injectNull(0.5))
        .as(
            (tensors, meta) -> {
              ObjectNode h = nf.objectNode();
              if (meta != null) {
                h.set("__metadata__", meta);
              }
              tensors.forEach(h::set);
              return (JsonNode) h;
            });
  }

  // ---- checks

  /**
   * Reads {@code f}: the contents after checking they are consistent, or null after checking the
   * failure is one line starting with the path.
   */
  private static Safetensors.Contents outcome(Path f) {
    try {
      Safetensors.Contents c = Safetensors.read(f);
      for (Safetensors.Tensor t : c.tensors().values()) {
        long n = 1;
        for (long d : t.shape()) {
          n *= d;
        }
        assertThat(t.data()).hasSize((int) n);
      }
      return c;
    } catch (CheckpointException e) {
      assertThat(e.getMessage()).startsWith(f + ": ").doesNotContainPattern(CONTROL);
      return null;
    }
  }

  private static void assertSame(Checkpoint c, Safetensors.Contents got, boolean inOrder) {
    List<String> names = c.tensors().stream().map(Safetensors.Tensor::name).toList();
    if (inOrder) {
      assertThat(got.tensors().keySet()).containsExactlyElementsOf(names);
    } else {
      assertThat(got.tensors().keySet()).containsExactlyInAnyOrderElementsOf(names);
    }
    for (Safetensors.Tensor t : c.tensors()) {
      Safetensors.Tensor r = got.tensors().get(t.name());
      assertThat(r.name()).isEqualTo(t.name());
      assertThat(r.shape()).containsExactly(t.shape());
      assertThat(bits(r.data())).containsExactly(bits(t.data()));
    }
    assertThat(got.metadata()).isEqualTo(c.metadata());
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

  private static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
