package dev.mlp.run.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafetensorsTest {
  @TempDir Path dir;

  private static final List<Safetensors.Tensor> TENSORS =
      List.of(
          new Safetensors.Tensor(
              "layers.0.weight",
              new long[] {2, 3},
              new float[] {1, -2, 3.5f, -0f, Float.MIN_VALUE, 1e30f}),
          new Safetensors.Tensor("layers.0.bias", new long[] {2}, new float[] {0.25f, -7}),
          new Safetensors.Tensor("empty", new long[] {0, 4}, new float[0]));

  private Path written() throws IOException {
    Path f = dir.resolve("t.safetensors");
    Safetensors.write(f, Map.of("format", "x", "config", "name: a\nseed: 1\n"), TENSORS);
    return f;
  }

  @Test
  void roundTripKeepsNamesOrderShapesBitsAndMetadata() throws IOException {
    Safetensors.Contents c = Safetensors.read(written());
    assertThat(c.tensors().keySet()).containsExactly("layers.0.weight", "layers.0.bias", "empty");
    for (Safetensors.Tensor t : TENSORS) {
      Safetensors.Tensor r = c.tensors().get(t.name());
      assertThat(r.shape()).containsExactly(t.shape());
      for (int i = 0; i < t.data().length; i++) {
        assertThat(Float.floatToRawIntBits(r.data()[i]))
            .isEqualTo(Float.floatToRawIntBits(t.data()[i]));
      }
    }
    assertThat(c.metadata())
        .containsEntry("config", "name: a\nseed: 1\n")
        .containsEntry("format", "x");
  }

  @Test
  void theLayoutIsTheSafetensorsOne() throws IOException {
    byte[] b = Files.readAllBytes(written());
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    long n = bb.getLong(0);
    assertThat(n % 8).isZero(); // the data starts aligned
    String header = new String(b, 8, (int) n, StandardCharsets.UTF_8);
    assertThat(header)
        .contains("\"layers.0.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}")
        .contains("\"layers.0.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]}");
    assertThat(b.length).isEqualTo(8 + n + 32);
    assertThat(bb.getFloat((int) (8 + n + 8))).isEqualTo(3.5f); // little-endian float32, row-major
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 3, 8, 9, 40, 100})
  void aTruncatedFileIsOneClearError(int keep) throws IOException {
    Path f = written();
    byte[] b = Files.readAllBytes(f);
    Path cut = dir.resolve("cut.safetensors");
    Files.write(cut, Arrays.copyOf(b, Math.min(keep, b.length)));
    assertThatThrownBy(() -> Safetensors.read(cut))
        .isInstanceOf(CheckpointException.class)
        .hasMessageStartingWith(cut + ": ")
        .hasMessageNotContaining("\n");
  }

  @Test
  void cuttingOffTheLastTensorBytesIsCaught() throws IOException {
    Path f = written();
    byte[] b = Files.readAllBytes(f);
    Path cut = dir.resolve("cut.safetensors");
    Files.write(cut, Arrays.copyOf(b, b.length - 4));
    assertThatThrownBy(() -> Safetensors.read(cut))
        .hasMessage(
            cut
                + ": tensor layers.0.bias: bytes [24, 32) lie outside the 28 data bytes (a"
                + " truncated file?)");
  }

  private Path withHeader(String json, int dataBytes) throws IOException {
    byte[] h = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    Path f = dir.resolve("h.safetensors");
    Files.write(f, b.array());
    return f;
  }

  @Test
  void headersThatLieAreRefusedBeforeAnythingLargeIsAllocated() throws IOException {
    Path f = dir.resolve("huge.safetensors");
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE);
    Files.write(f, b.array());
    assertThatThrownBy(() -> Safetensors.read(f))
        .hasMessageContaining("the header claims 9223372036854775807 bytes but the file has 8");
    Path g =
        withHeader(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1000000,1000000],\"data_offsets\":[0,8]}}", 8);
    assertThatThrownBy(() -> Safetensors.read(g)).hasMessageContaining("is too large");
  }

  @Test
  void eachKindOfBadHeaderNamesWhatIsWrong() throws IOException {
    assertThatThrownBy(() -> Safetensors.read(withHeader("not json at all", 0)))
        .hasMessageContaining("the header is not JSON");
    assertThatThrownBy(() -> Safetensors.read(withHeader("[1, 2]", 0)))
        .hasMessageContaining("not a JSON object");
    assertThatThrownBy(
            () ->
                Safetensors.read(
                    withHeader(
                        "{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4)))
        .hasMessageContaining("tensor a is F16; mlp reads F32 tensors only");
    assertThatThrownBy(
            () ->
                Safetensors.read(
                    withHeader(
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8)))
        .hasMessageContaining("tensor a: shape [3] needs 12 bytes but data_offsets give 8");
    assertThatThrownBy(
            () ->
                Safetensors.read(
                    withHeader(
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                            + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
                        12)))
        .hasMessageContaining("tensors a and b overlap");
    assertThatThrownBy(
            () ->
                Safetensors.read(
                    withHeader(
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4)))
        .hasMessageContaining("tensor a: shape holds -1, not a size");
    assertThatThrownBy(
            () ->
                Safetensors.read(
                    withHeader(
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", 8)))
        .hasMessageContaining("lie outside");
    assertThatThrownBy(
            () ->
                Safetensors.read(
                    withHeader(
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                            + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                        4)))
        .hasMessageContaining("the header is not JSON (Duplicate field 'a')");
    assertThatThrownBy(() -> Safetensors.read(withHeader("{\"__metadata__\":{\"k\":1}}", 0)))
        .hasMessageContaining("__metadata__.k must be a string");
    assertThatThrownBy(() -> Safetensors.read(dir.resolve("missing.safetensors")))
        .hasMessage(dir.resolve("missing.safetensors") + ": no such checkpoint file");
  }

  @Test
  void anEmptyTensorMaySitAtTheOffsetOfTheNextInAnyHeaderOrder() throws IOException {
    // found by SafetensorsPropertiesTest: sorting by begin alone put the empty tensor after the
    // other
    Path f =
        withHeader(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"empty\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}",
            4);
    assertThat(Safetensors.read(f).tensors().keySet()).containsExactly("a", "empty");
  }

  @Test
  void controlCharactersFromTheFileAreEscapedInTheMessage() throws IOException {
    // found by SafetensorsPropertiesTest: a name with a line break made a two-line message
    Path f =
        withHeader(
            "{\"a\\nb\\u001b[2J\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4);
    assertThatThrownBy(() -> Safetensors.read(f))
        .hasMessage(f + ": tensor a\\nb\\u001b[2J is F16; mlp reads F32 tensors only");
  }

  @Test
  void theWriterRefusesWhatCouldNotBeReadBack() {
    Path f = dir.resolve("w.safetensors");
    Safetensors.Tensor a = new Safetensors.Tensor("a", new long[] {1}, new float[1]);
    // found by SafetensorsPropertiesTest: an unpaired surrogate was written, then not read back
    assertThatThrownBy(() -> Safetensors.write(f, Map.of("config", "x\ud800"), List.of(a)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "metadata config: an unpaired surrogate at index 1 cannot be written as JSON text");
    assertThatThrownBy(() -> Safetensors.write(f, Map.of(), List.of(a, a)))
        .hasMessage("tensor name a is reserved or given twice");
    Safetensors.Tensor meta = new Safetensors.Tensor("__metadata__", new long[] {0}, new float[0]);
    assertThatThrownBy(() -> Safetensors.write(f, Map.of(), List.of(meta)))
        .hasMessage("tensor name __metadata__ is reserved or given twice");
    assertThat(f).doesNotExist();
  }

  @Test
  void aTensorTooLargeForOneJavaArrayIsRefused() throws IOException {
    // 600 million floats: 2.4 GB, a sparse file that takes no room on disk
    Path f =
        withHeader(
            "{\"big\":{\"dtype\":\"F32\",\"shape\":[600000000],"
                + "\"data_offsets\":[0,2400000000]}}",
            0);
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(raf.length() + 2_400_000_000L);
    }
    assertThatThrownBy(() -> Safetensors.read(f))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(f + ": tensor big: shape [600000000] is too large");
  }
}
