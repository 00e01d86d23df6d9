package dev.mlp.run.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlp.core.nn.Parameter;
import dev.mlp.core.train.TrainingState;
import dev.mlp.run.checkpoint.CheckpointTest.Run;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exact bytes mlp writes, and the edges of what it reads: the smallest file and header, the
 * most dimensions and values a tensor may have, the numbers a message reports.
 */
class CheckpointBoundsTest {
  @TempDir Path dir;

  @Test
  void aFileIsTheLengthTheJsonHeaderPaddedWithSpacesAndLittleEndianFloats() throws IOException {
    Path f = dir.resolve("w.safetensors");
    Safetensors.write(
        f,
        Map.of("format", "x"),
        List.of(new Safetensors.Tensor("w", new long[] {2}, new float[] {1.0f, -2.0f})));
    String json =
        "{\"__metadata__\":{\"format\":\"x\"},"
            + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
    assertThat(json.length()).isEqualTo(84); // padded to 88
    ByteBuffer expected = ByteBuffer.allocate(8 + 88 + 8).order(ByteOrder.LITTLE_ENDIAN);
    expected.putLong(88).put(json.getBytes(StandardCharsets.US_ASCII));
    expected.put("    ".getBytes(StandardCharsets.US_ASCII));
    expected.putFloat(1.0f).putFloat(-2.0f);
    assertThat(Files.readAllBytes(f)).isEqualTo(expected.array());
  }

  @Test
  void aTensorOfMoreThanOneBufferIsWrittenWhole() throws IOException {
    float[] data = new float[40_000]; // 160,000 bytes: three 64 KiB buffers
    for (int i = 0; i < data.length; i++) {
      data[i] = i * 0.5f;
    }
    Path f = dir.resolve("big.safetensors");
    Safetensors.write(f, Map.of(), List.of(new Safetensors.Tensor("x", new long[] {40_000}, data)));
    assertThat(Safetensors.read(f).tensors().get("x").data()).isEqualTo(data);
  }

  @Test
  void textThatIsNotUnicodeIsRefusedWhereverItIs() {
    Path f = dir.resolve("t.safetensors");
    Safetensors.Tensor lone = new Safetensors.Tensor("w\udc00", new long[] {0}, new float[0]);
    assertThatThrownBy(() -> Safetensors.write(f, Map.of(), List.of(lone)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tensor name: an unpaired surrogate at index 1 cannot be written as JSON text");
    assertThatThrownBy(() -> Safetensors.write(f, Map.of("k\ud800", "v"), List.of()))
        .hasMessage(
            "metadata key: an unpaired surrogate at index 1 cannot be written as JSON text");
    assertThatThrownBy(() -> Safetensors.write(f, Map.of("note", "ab\ud800"), List.of()))
        .hasMessage(
            "metadata note: an unpaired surrogate at index 2 cannot be written as JSON text");
    assertThat(f).doesNotExist();
  }

  @Test
  void surrogatePairsAreTextLikeAnyOther() throws IOException {
    Path f = dir.resolve("t.safetensors");
    Safetensors.Tensor smile =
        new Safetensors.Tensor("w\ud83d\ude00", new long[] {0}, new float[0]);
    Safetensors.write(f, Map.of("note \ud83d\ude00", "\ud83d\ude00!"), List.of(smile));
    Safetensors.Contents c = Safetensors.read(f);
    assertThat(c.metadata()).containsExactly(Map.entry("note \ud83d\ude00", "\ud83d\ude00!"));
    assertThat(c.tensors()).containsOnlyKeys("w\ud83d\ude00");
  }

  private Path raw(long claimedLength, String header, int dataBytes) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(claimedLength).put(h);
    Path f = dir.resolve("r.safetensors");
    Files.write(f, b.array());
    return f;
  }

  private Path withHeader(String header, int dataBytes) throws IOException {
    return raw(header.getBytes(StandardCharsets.UTF_8).length, header, dataBytes);
  }

  @Test
  void theSmallestFileIsALengthAndAnEmptyObject() throws IOException {
    Path f = withHeader("{}", 0);
    assertThat(Files.size(f)).isEqualTo(10);
    Safetensors.Contents c = Safetensors.read(f);
    assertThat(c.metadata()).isEmpty();
    assertThat(c.tensors()).isEmpty();
    Path eight = raw(0, "", 0);
    assertThatThrownBy(() -> Safetensors.read(eight))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(
            eight
                + ": not a checkpoint or truncated: the header claims 0 bytes but the file has 0"
                + " after the length");
    Path seven = dir.resolve("seven.safetensors");
    Files.write(seven, new byte[7]);
    assertThatThrownBy(() -> Safetensors.read(seven))
        .hasMessage(seven + ": not a checkpoint: 7 bytes, too short for a safetensors header");
  }

  @Test
  void aHeaderOfTheLibrarysLimitIsStillReadAndOneByteMoreIsNot() throws IOException {
    long limit = 100L << 20; // 100 MiB, as the safetensors library allows
    Path f = dir.resolve("sparse.safetensors");
    Files.write(f, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(limit).array());
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(8 + limit + 1); // a sparse file: no room taken on disk
    }
    assertThatThrownBy(() -> Safetensors.read(f))
        .hasMessageStartingWith(f + ": not a checkpoint: the header is not JSON (");
    Files.write(
        f, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(limit + 1).array());
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(8 + limit + 1);
    }
    assertThatThrownBy(() -> Safetensors.read(f))
        .hasMessage(
            f
                + ": not a checkpoint or truncated: the header claims 104857601 bytes but the file"
                + " has 104857601 after the length");
  }

  @Test
  void aHeaderLongerThanTheFileIsRefusedBeforeItIsRead() throws IOException {
    Path f = raw(15, "{\"a\":1}  ", 3); // 8 + 12 bytes
    assertThatThrownBy(() -> Safetensors.read(f))
        .hasMessage(
            f
                + ": not a checkpoint or truncated: the header claims 15 bytes but the file has 12"
                + " after the length");
  }

  private static String tensor(String name, String shape, long begin, long end) {
    return "\""
        + name
        + "\":{\"dtype\":\"F32\",\"shape\":"
        + shape
        + ",\"data_offsets\":["
        + begin
        + ","
        + end
        + "]}";
  }

  @Test
  void aTensorHasAtMostEightDimensions() throws IOException {
    Path eight = withHeader("{" + tensor("a", "[1,1,1,1,1,1,1,2]", 0, 8) + "}", 8);
    assertThat(Safetensors.read(eight).tensors().get("a").shape())
        .containsExactly(1, 1, 1, 1, 1, 1, 1, 2);
    Path nine = withHeader("{" + tensor("a", "[1,1,1,1,1,1,1,1,2]", 0, 8) + "}", 8);
    assertThatThrownBy(() -> Safetensors.read(nine))
        .hasMessage(nine + ": tensor a: shape must be a list of at most 8 sizes");
  }

  @Test
  void theLargestTensorOneJavaArrayHoldsIsAcceptedUntilItsBytesAreMissing() throws IOException {
    long max = (Integer.MAX_VALUE - 8) / 4; // 536,870,909 floats
    Path largest = withHeader("{" + tensor("big", "[" + max + "]", 0, 4 * max) + "}", 0);
    assertThatThrownBy(() -> Safetensors.read(largest))
        .hasMessage(
            largest
                + ": tensor big: bytes [0, 2147483636) lie outside the 0 data bytes (a truncated"
                + " file?)");
    Path split = withHeader("{" + tensor("big", "[1, " + max + "]", 0, 4 * max) + "}", 0);
    assertThatThrownBy(() -> Safetensors.read(split)).hasMessageContaining("lie outside");
    Path larger = withHeader("{" + tensor("big", "[" + (max + 1) + "]", 0, 4 * max + 4) + "}", 0);
    assertThatThrownBy(() -> Safetensors.read(larger))
        .hasMessage(larger + ": tensor big: shape [" + (max + 1) + "] is too large");
  }

  @Test
  void aTensorWhoseBytesDoNotFitItsShapeIsToldBothNumbers() throws IOException {
    Path f = withHeader("{" + tensor("a", "[1]", 0, 4) + "," + tensor("b", "[2]", 4, 8) + "}", 8);
    assertThatThrownBy(() -> Safetensors.read(f))
        .hasMessage(f + ": tensor b: shape [2] needs 8 bytes but data_offsets give 4");
  }

  // ---- checkpoint metadata read by the commands

  private Path checkpoint(Run run, String... keyValues) throws IOException {
    Path file = dir.resolve("c.safetensors");
    run.save(file, TrainingState.start());
    Safetensors.Contents c = Safetensors.read(file);
    Map<String, String> meta = new LinkedHashMap<>(c.metadata());
    for (int i = 0; i < keyValues.length; i += 2) {
      meta.put(keyValues[i], keyValues[i + 1]);
    }
    Safetensors.write(file, meta, new ArrayList<>(c.tensors().values()));
    return file;
  }

  private static final String SMALL =
      """
      name: small
      data: {type: mnist}
      model:
        layers:
          - {type: linear, units: 3}
          - {type: linear, units: 10}
          - {type: softmax_cross_entropy}
      optimizer: {type: sgd, lr: 0.1}
      """;

  @Test
  void theModelsSizesMustBePositiveWholeNumbers() throws Exception {
    Run run = Run.of(SMALL);
    Checkpoint c = Checkpoint.read(checkpoint(run));
    assertThat(c.inputSize()).isEqualTo(784);
    assertThat(c.numClasses()).isEqualTo(10);
    assertThat(Checkpoint.read(checkpoint(run, "num_classes", "1")).numClasses()).isOne();
    Path zero = checkpoint(run, "input_size", "0");
    assertThatThrownBy(() -> Checkpoint.read(zero).inputSize())
        .isInstanceOf(CheckpointException.class)
        .hasMessage(zero + ": its metadata holds a bad input_size: input_size is 0");
    Path word = checkpoint(run, "num_classes", "ten");
    assertThatThrownBy(() -> Checkpoint.read(word).numClasses())
        .hasMessage(word + ": its metadata holds a bad num_classes: For input string: \"ten\"");
  }

  @Test
  void theWeightsAloneComeInTheModelsParameterOrder() throws Exception {
    Run run = Run.of(SMALL);
    Path file = checkpoint(run);
    Checkpoint c = Checkpoint.read(file);
    assertThat(c.file()).isEqualTo(file);
    List<Parameter> params = run.model().parameters();
    float[][] w = c.weights(run.model());
    assertThat(w.length).isEqualTo(params.size());
    for (int i = 0; i < w.length; i++) {
      assertThat(w[i])
          .isEqualTo(java.util.Arrays.copyOf(params.get(i).value().data(), params.get(i).size()));
    }
    Run wider = Run.of(SMALL.replace("units: 3", "units: 4"));
    assertThatThrownBy(() -> c.weights(wider.model()))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(file + ": does not hold the weights of the configured model");
    Run deeper =
        Run.of(
            SMALL.replace(
                "- {type: linear, units: 10}", "- {type: relu}\n    - {type: linear, units: 10}"));
    assertThatThrownBy(() -> c.weights(deeper.model()))
        .hasMessage(file + ": does not hold the weights of the configured model");
  }
}
