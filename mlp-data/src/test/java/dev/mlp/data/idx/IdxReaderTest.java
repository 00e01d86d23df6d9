package dev.mlp.data.idx;

import static dev.mlp.data.idx.IdxBytes.gzip;
import static dev.mlp.data.idx.IdxBytes.idx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir Path dir;

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  @Test
  void readsRawAndGzipAlike() throws IOException {
    byte[] file = IdxBytes.images(3, 2, 2, 1);
    IdxFile raw = IdxReader.read(write("a-idx3-ubyte", file));
    IdxFile gz = IdxReader.read(write("a-idx3-ubyte.gz", gzip(file)));
    assertThat(raw.dims()).containsExactly(3, 2, 2);
    assertThat(raw.dtype()).isEqualTo(IdxFile.UBYTE);
    assertThat(gz.dims()).containsExactly(3, 2, 2);
    assertThat(gz.data()).containsExactly(raw.data());
    assertThat(raw.data()).containsExactly(Arrays.copyOfRange(file, 16, file.length));
  }

  @Test
  void wrongMagicIsRejectedNamingTheFile() throws IOException {
    Path p = write("bad", new byte[] {1, 2, 8, 1, 0, 0, 0, 0});
    assertThatThrownBy(() -> IdxReader.read(p))
        .isInstanceOf(IdxFormatException.class)
        .hasMessage(p + ": not an IDX file: magic 0x01020801 does not start with two zero bytes");
  }

  @Test
  void unknownElementTypeIsRejected() throws IOException {
    Path p = write("dtype", idx(0x0A, new int[] {1}, new byte[] {0}));
    assertThatThrownBy(() -> IdxReader.read(p))
        .hasMessageContaining("unknown IDX element type 0x0a");
  }

  @Test
  void sizesThatDisagreeWithTheFileLengthAreRejected() throws IOException {
    byte[] file = IdxBytes.images(3, 2, 2, 1);
    Path shortFile = write("short", Arrays.copyOf(file, file.length - 1));
    assertThatThrownBy(() -> IdxReader.read(shortFile))
        .hasMessageContaining("declares 3×2×2 = 12 data bytes but the file holds 11");
    Path longFile = write("long", Arrays.copyOf(file, file.length + 5));
    assertThatThrownBy(() -> IdxReader.read(longFile))
        .hasMessageContaining("declares 3×2×2 = 12 data bytes but the file holds 17");
  }

  @Test
  void truncatedGzipIsRejected() throws IOException {
    byte[] gz = gzip(IdxBytes.images(50, 28, 28, 1));
    Path p = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
    assertThatThrownBy(() -> IdxReader.read(p))
        .isInstanceOf(IdxFormatException.class)
        .hasMessageStartingWith(p.toString())
        .hasMessageContaining("truncated");
  }

  @Test
  void gzipWithMoreDataThanDeclaredIsRejected() throws IOException {
    byte[] file = IdxBytes.images(3, 2, 2, 1);
    Path p = write("more.gz", gzip(Arrays.copyOf(file, file.length + 1)));
    assertThatThrownBy(() -> IdxReader.read(p))
        .hasMessageContaining("more data than its header declares");
  }

  @Test
  void hugeDeclaredSizeIsRefusedBeforeAllocating() throws IOException {
    Path p = write("huge.gz", gzip(idx(0x08, new int[] {60000, 28000, 28000}, new byte[0])));
    assertThatThrownBy(() -> IdxReader.read(p)).hasMessageContaining("refusing to read it");
    Path bounded = write("bounded", idx(0x08, new int[] {100}, new byte[100]));
    assertThatThrownBy(() -> IdxReader.read(bounded, 99))
        .hasMessageContaining("more than 99 data bytes");
  }

  @Test
  void tinyGzipClaimingAHugeSizeAllocatesOnlyWhatArrives() throws IOException {
    Path p = write("claims.gz", gzip(idx(0x08, new int[] {2_000_000_000}, new byte[1000])));
    long before = allocatedBytes();
    assertThatThrownBy(() -> IdxReader.read(p))
        .isInstanceOf(IdxFormatException.class)
        .hasMessage(p + ": truncated: declared 2000000000 data bytes, got 1000");
    assertThat(allocatedBytes() - before).isLessThan(4L << 20);
  }

  @Test
  void aGzipFileThatCanHoldItsDataIsReadIntoOneBuffer() throws IOException {
    // incompressible data: the file is as big as its data, so the declared size is believable
    byte[] data = new byte[8 << 20];
    new java.util.Random(7).nextBytes(data);
    Path p = write("noise.gz", gzip(idx(0x08, new int[] {data.length}, data)));
    long before = allocatedBytes();
    IdxFile f = IdxReader.read(p);
    long allocated = allocatedBytes() - before;
    assertThat(f.data()).isEqualTo(data);
    // one 8 MB buffer, not 64 KB doubling up to 8 MB (16 MB in all)
    assertThat(allocated).isLessThan(12L << 20);
  }

  @Test
  void unsignedBytesAreReadRawOrGzipAfterTheCheckSawTheHeader() throws IOException {
    byte[] data = new byte[3 * 65_536 + 1_234];
    new java.util.Random(11).nextBytes(data);
    int[] dims = {data.length / 2, 2};
    byte[] file = idx(0x08, dims, data);
    for (Path p : List.of(write("raw", file), write("packed.gz", gzip(file)))) {
      List<IdxReader.Header> seen = new ArrayList<>();
      List<Boolean> read = new ArrayList<>();
      IdxFile f =
          IdxReader.readUnsignedBytes(
              p,
              (h, alreadyRead) -> {
                seen.add(h);
                read.add(alreadyRead);
              });
      assertThat(f.data()).as(p.toString()).isEqualTo(data);
      assertThat(f.dims()).containsExactly(dims);
      assertThat(seen).hasSize(1);
      assertThat(seen.get(0).dims()).containsExactly(dims);
      assertThat(seen.get(0).toString()).isEqualTo(p + " dtype 0x8 dims [" + dims[0] + ", 2]");
      // a raw file is checked before its data is read, a gzip one only once it is inflated
      assertThat(read).containsExactly(p.toString().endsWith(".gz"));
    }
  }

  @Test
  void aRawFileIsReadIntoOneArrayOfItsSize() throws IOException {
    byte[] data = new byte[8 << 20];
    new java.util.Random(5).nextBytes(data);
    Path p = write("big", idx(0x08, new int[] {data.length}, data));
    long before = allocatedBytes();
    IdxFile f = IdxReader.readUnsignedBytes(p, (h, alreadyRead) -> {});
    long allocated = allocatedBytes() - before;
    assertThat(f.data()).isEqualTo(data);
    // the 8 MB and a buffer, no doubling copies on the way
    assertThat(allocated).isLessThan((8L << 20) + (1L << 20));
  }

  @Test
  void theCheckSeesTheHeaderFirstAndOnlyUnsignedBytesAreRead() throws IOException {
    Path p = write("i", idx(0x08, new int[] {2, 3}, new byte[6]));
    assertThatThrownBy(
            () ->
                IdxReader.readUnsignedBytes(
                    p,
                    (h, alreadyRead) -> {
                      throw new IdxFormatException("refused " + h);
                    }))
        .hasMessage("refused " + p + " dtype 0x8 dims [2, 3]");
    // a refusal that is a plain IOException (out of memory, say) reaches the caller as it is
    for (Path q : List.of(p, write("i.gz", gzip(idx(0x08, new int[] {2, 3}, new byte[6]))))) {
      assertThatThrownBy(
              () ->
                  IdxReader.readUnsignedBytes(
                      q,
                      (h, alreadyRead) -> {
                        throw new IOException("no room for " + h.count() + " bytes");
                      }))
          .isExactlyInstanceOf(IOException.class)
          .hasMessage("no room for 6 bytes");
    }
    Path ints = write("ints", idx(0x0C, new int[] {2}, new byte[8]));
    assertThatThrownBy(() -> IdxReader.readUnsignedBytes(ints, (h, alreadyRead) -> {}))
        .isInstanceOf(IdxFormatException.class)
        .hasMessage(ints + " dtype 0xc dims [2]: expected unsigned bytes (IDX type 0x08)");
    // a lying header is refused as read() refuses it, before the check is asked
    Path lies = write("lies", idx(0x08, new int[] {10}, new byte[4]));
    assertThatThrownBy(
            () ->
                IdxReader.readUnsignedBytes(
                    lies,
                    (h, alreadyRead) -> {
                      throw new AssertionError("asked");
                    }))
        .isInstanceOf(IdxFormatException.class)
        .hasMessage(lies + ": the header declares 10 = 10 data bytes but the file holds 4");
  }

  @Test
  void gzipBombIsRefusedByTheBoundBeforeInflating() throws IOException {
    int size = 50 << 20; // 50 MB of zeros: about 50 KB compressed
    Path p = dir.resolve("bomb.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p), 1 << 16)) {
      out.write(idx(0x08, new int[] {size}, new byte[0]));
      byte[] zeros = new byte[1 << 16];
      for (int i = 0; i < size / zeros.length; i++) {
        out.write(zeros);
      }
    }
    assertThat(Files.size(p)).isLessThan(100_000);
    long before = allocatedBytes();
    assertThatThrownBy(() -> IdxReader.read(p, 10 << 20))
        .isInstanceOf(IdxFormatException.class)
        .hasMessage(p + ": the header declares more than 10485760 data bytes; refusing to read it");
    assertThat(allocatedBytes() - before).isLessThan(4L << 20);
  }

  @Test
  void gzipThatEndsInsideItsOwnHeaderIsNamed() throws IOException {
    Path p = write("gz-head.gz", new byte[] {0x1f, (byte) 0x8b, 8});
    assertThatThrownBy(() -> IdxReader.read(p))
        .isInstanceOf(IdxFormatException.class)
        .hasMessage(p + ": truncated: the file ends inside its header");
  }

  @Test
  void gzipMagicFollowedByGarbageIsNamed() throws IOException {
    Path p = write("garbage.gz", new byte[] {0x1f, (byte) 0x8b, 7, 0, 0, 0, 0, 0, 0, 0, 1, 2});
    assertThatThrownBy(() -> IdxReader.read(p))
        .isInstanceOf(IdxFormatException.class)
        .hasMessage(p + ": corrupt gzip data (Unsupported compression method)");
  }

  @Test
  void headerCutShortIsNamed() throws IOException {
    Path p = write("head", new byte[] {0, 0, 8, 3, 0, 0, 0, 1, 0});
    assertThatThrownBy(() -> IdxReader.read(p))
        .isInstanceOf(IdxFormatException.class)
        .hasMessage(p + ": truncated: the file ends inside its header");
  }

  @Test
  void folderIsNamed() {
    assertThatThrownBy(() -> IdxReader.read(dir))
        .isInstanceOf(IdxFormatException.class)
        .hasMessage(dir + ": is a folder, not an IDX file");
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  @Test
  void missingFileIsNamed() {
    Path p = dir.resolve("nope");
    assertThatThrownBy(() -> IdxReader.read(p)).hasMessage(p + ": no such file");
  }

  @Test
  void oneToEightDimensionsAreReadAndZeroOrNineAreRefused() throws IOException {
    IdxFile one =
        IdxReader.read(write("one", idx(IdxFile.UBYTE, new int[] {3}, new byte[] {7, 8, 9})));
    assertThat(one.dims()).containsExactly(3);
    assertThat(one.data()).containsExactly(7, 8, 9);
    int[] eight = {1, 1, 1, 1, 1, 1, 1, 2};
    assertThat(IdxReader.read(write("eight", idx(IdxFile.UBYTE, eight, new byte[] {4, 5}))).dims())
        .containsExactly(eight);
    Path zero = write("zero", new byte[] {0, 0, 8, 0, 1, 2, 3, 4});
    assertThatThrownBy(() -> IdxReader.read(zero))
        .hasMessage(zero + ": 0 dimensions declared; expected 1 to 8");
    Path nine =
        write("nine", idx(IdxFile.UBYTE, new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, new byte[] {1}));
    assertThatThrownBy(() -> IdxReader.read(nine))
        .hasMessage(nine + ": 9 dimensions declared; expected 1 to 8");
  }

  @Test
  void dataOfExactlyTheLimitIsReadAndOneByteMoreIsRefused() throws IOException {
    byte[] file = IdxBytes.images(2, 3, 5, 4); // 30 data bytes
    IdxFile f = IdxReader.read(new java.io.ByteArrayInputStream(file), "limit", file.length, 30);
    assertThat(f.data()).hasSize(30);
    assertThatThrownBy(
            () -> IdxReader.read(new java.io.ByteArrayInputStream(file), "limit", file.length, 29))
        .hasMessage("limit: the header declares more than 29 data bytes; refusing to read it");
  }

  @Test
  void aGzipFileLargerThanTheFirstBufferIsReadWhole() throws IOException {
    // 300 KB of data: the buffer starts small for a gzip file and grows as data arrives
    byte[] file = IdxBytes.images(100, 60, 50, 9);
    IdxFile f = IdxReader.read(write("big.gz", gzip(file)));
    assertThat(f.dims()).containsExactly(100, 60, 50);
    assertThat(Arrays.equals(f.data(), Arrays.copyOfRange(file, 16, file.length))).isTrue();
  }
}
