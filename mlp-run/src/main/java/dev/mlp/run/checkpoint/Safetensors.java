package dev.mlp.run.checkpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlp.data.files.InputFiles;
import dev.mlp.run.folder.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The safetensors file layout (as the Hugging Face library and PyTorch read it): an 8-byte
 * little-endian header length N, N bytes of JSON naming each tensor's dtype, shape and byte range,
 * then the raw little-endian tensor bytes. Only float32 ({@code F32}) tensors are written and read.
 *
 * <p>Reading trusts nothing: the header length is checked against the file before anything is
 * allocated, every tensor's range must lie in the data and match its shape, ranges must not
 * overlap. Every problem is one {@link CheckpointException} naming the file.
 */
public final class Safetensors {
  /** The largest header read (the library's own limit). */
  static final long MAX_HEADER = 100L << 20;

  /** The most values one tensor may hold: its bytes are read into one Java array. */
  static final long MAX_VALUES = (Integer.MAX_VALUE - 8) / 4;

  private Safetensors() {}

  /** One named float32 tensor. */
  public record Tensor(String name, long[] shape, float[] data) {
    public Tensor {
      long n = 1;
      for (long d : shape) {
        if (d < 0) {
          throw new IllegalArgumentException(name + ": negative dimension");
        }
        n *= d;
      }
      if (n != data.length) {
        throw new IllegalArgumentException(
            name + ": shape holds " + n + " values, data has " + data.length);
      }
    }
  }

  /** What a file holds: its string metadata and its tensors, in file order. */
  public record Contents(Map<String, String> metadata, Map<String, Tensor> tensors) {}

  /**
   * Writes the tensors (in the given order) and metadata to {@code file}, atomically.
   *
   * @throws IllegalArgumentException for what could not be read back: two tensors of one name, a
   *     tensor named {@code __metadata__}, text with an unpaired surrogate (not Unicode, so not
   *     JSON)
   */
  public static void write(Path file, Map<String, String> metadata, List<Tensor> tensors)
      throws IOException {
    Set<String> names = new HashSet<>();
    for (Tensor t : tensors) {
      checkText("tensor name", t.name());
      if (t.name().equals("__metadata__") || !names.add(t.name())) {
        throw new IllegalArgumentException(
            "tensor name " + t.name() + " is reserved or given twice");
      }
    }
    metadata.forEach(
        (k, v) -> {
          checkText("metadata key", k);
          checkText("metadata " + k, v);
        });
    ObjectMapper json = new ObjectMapper();
    ObjectNode header = json.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Tensor t : tensors) {
      ObjectNode e = header.putObject(t.name());
      e.put("dtype", "F32");
      ArrayNode shape = e.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      long size = 4L * t.data().length;
      e.putArray("data_offsets").add(offset).add(offset + size);
      offset += size;
    }
    byte[] head = json.writeValueAsBytes(header);
    int padded = (head.length + 7) & ~7; // the data starts 8-byte aligned; pad with spaces
    ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    prefix.putLong(padded).put(head);
    while (prefix.hasRemaining()) {
      prefix.put((byte) ' ');
    }
    AtomicFile.write(
        file,
        out -> {
          out.write(prefix.array());
          ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
          for (Tensor t : tensors) {
            for (float v : t.data()) {
              if (!buf.hasRemaining()) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
              }
              buf.putFloat(v);
            }
          }
          out.write(buf.array(), 0, buf.position());
        });
  }

  /** Reads and checks {@code file}. */
  public static Contents read(Path file) throws CheckpointException {
    try {
      InputFiles.requireRegularFile(file, "checkpoint file");
    } catch (IOException e) {
      throw new CheckpointException(e.getMessage());
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(file, ch);
    } catch (NoSuchFileException e) {
      throw new CheckpointException(file + ": no such checkpoint file");
    } catch (CheckpointException e) {
      throw e;
    } catch (IOException e) {
      throw new CheckpointException(file + ": cannot read: " + InputFiles.reason(e));
    }
  }

  private static Contents read(Path file, FileChannel ch) throws IOException {
    long size = ch.size();
    if (size < 8) {
      throw bad(file, "not a checkpoint: " + size + " bytes, too short for a safetensors header");
    }
    ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, lenBuf, 0);
    long n = lenBuf.getLong(0);
    if (n < 2 || n > MAX_HEADER || n > size - 8) {
      throw bad(
          file,
          "not a checkpoint or truncated: the header claims "
              + Long.toUnsignedString(n)
              + " bytes but the file has "
              + (size - 8)
              + " after the length");
    }
    ByteBuffer headBuf = ByteBuffer.allocate((int) n);
    readFully(ch, headBuf, 8);
    JsonNode header;
    try {
      header = mapper().readTree(headBuf.array());
    } catch (JsonProcessingException e) {
      throw bad(file, "not a checkpoint: the header is not JSON (" + e.getOriginalMessage() + ")");
    }
    if (header == null || !header.isObject()) {
      throw bad(file, "not a checkpoint: the header is not a JSON object");
    }
    long dataStart = 8 + n;
    long dataSize = size - dataStart;
    Map<String, String> metadata = new LinkedHashMap<>();
    List<Range> ranges = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = header.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> f = it.next();
      if (f.getKey().equals("__metadata__")) {
        if (!f.getValue().isObject()) {
          throw bad(file, "__metadata__ must be an object of strings");
        }
        Iterator<Map.Entry<String, JsonNode>> m = f.getValue().fields();
        while (m.hasNext()) {
          Map.Entry<String, JsonNode> kv = m.next();
          if (!kv.getValue().isTextual()) {
            throw bad(file, "__metadata__." + kv.getKey() + " must be a string");
          }
          metadata.put(kv.getKey(), kv.getValue().asText());
        }
        continue;
      }
      ranges.add(range(file, f.getKey(), f.getValue(), dataSize));
    }
    List<Range> sorted = new ArrayList<>(ranges);
    // by end too: an empty tensor may share its offset with the next one, in any header order
    sorted.sort(Comparator.comparingLong(Range::begin).thenComparingLong(Range::end));
    for (int i = 1; i < sorted.size(); i++) {
      Range a = sorted.get(i - 1);
      Range b = sorted.get(i);
      if (b.begin() < a.end()) {
        throw bad(file, "tensors " + a.name() + " and " + b.name() + " overlap");
      }
    }
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Range r : ranges) {
      int count = (int) ((r.end() - r.begin()) / 4);
      ByteBuffer buf = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, buf, dataStart + r.begin());
      float[] data = new float[count];
      buf.asFloatBuffer().get(data);
      tensors.put(r.name(), new Tensor(r.name(), r.shape(), data));
    }
    return new Contents(metadata, tensors);
  }

  private record Range(String name, long[] shape, long begin, long end) {}

  private static Range range(Path file, String name, JsonNode e, long dataSize)
      throws CheckpointException {
    if (!e.isObject()) {
      throw bad(file, "tensor " + name + ": expected {dtype, shape, data_offsets}");
    }
    JsonNode dtype = e.get("dtype");
    if (dtype == null || !dtype.isTextual()) {
      throw bad(file, "tensor " + name + ": no dtype");
    }
    if (!dtype.asText().equals("F32")) {
      throw bad(file, "tensor " + name + " is " + dtype.asText() + "; mlp reads F32 tensors only");
    }
    JsonNode shape = e.get("shape");
    JsonNode offsets = e.get("data_offsets");
    if (shape == null || !shape.isArray() || shape.size() > 8) {
      throw bad(file, "tensor " + name + ": shape must be a list of at most 8 sizes");
    }
    if (offsets == null || !offsets.isArray() || offsets.size() != 2) {
      throw bad(file, "tensor " + name + ": data_offsets must be [begin, end]");
    }
    long[] dims = new long[shape.size()];
    long count = 1;
    for (int i = 0; i < dims.length; i++) {
      JsonNode d = shape.get(i);
      if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
        throw bad(file, "tensor " + name + ": shape holds " + d + ", not a size");
      }
      dims[i] = d.asLong();
      count = dims[i] == 0 ? 0 : (count > MAX_VALUES / dims[i] ? -1 : count * dims[i]);
      if (count < 0) {
        throw bad(file, "tensor " + name + ": shape " + shape + " is too large");
      }
    }
    JsonNode b = offsets.get(0);
    JsonNode en = offsets.get(1);
    if (!b.isIntegralNumber()
        || !en.isIntegralNumber()
        || !b.canConvertToLong()
        || !en.canConvertToLong()) {
      throw bad(file, "tensor " + name + ": data_offsets must be whole numbers");
    }
    long begin = b.asLong();
    long end = en.asLong();
    if (begin < 0 || end < begin || end > dataSize) {
      throw bad(
          file,
          "tensor "
              + name
              + ": bytes ["
              + begin
              + ", "
              + end
              + ") lie outside the "
              + dataSize
              + " data bytes (a truncated file?)");
    }
    if (end - begin != count * 4) {
      throw bad(
          file,
          "tensor "
              + name
              + ": shape "
              + shape
              + " needs "
              + count * 4
              + " bytes but data_offsets give "
              + (end - begin));
    }
    return new Range(name, dims, begin, end);
  }

  private static void checkText(String what, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(
            what + ": an unpaired surrogate at index " + i + " cannot be written as JSON text");
      }
    }
  }

  private static ObjectMapper mapper() {
    JsonMapper m =
        JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    m.getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(16).maxNumberLength(40).build());
    return m;
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int r = ch.read(buf, pos);
      if (r < 0) {
        throw new IOException("unexpected end of file");
      }
      pos += r;
    }
    buf.flip();
  }

  private static CheckpointException bad(Path file, String what) {
    return new CheckpointException(file + ": " + what);
  }
}
