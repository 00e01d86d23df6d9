package dev.mlp.data.array;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlp.data.files.InputFileException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** .npy files built byte by byte as NumPy writes them, and every way one can lie or break. */
class NpyArrayTest {
  /** An .npy file: the magic, version 1 (or 2), the header dict padded to 64, then {@code data}. */
  static byte[] npy(int version, String descr, boolean fortran, String shape, byte[] data) {
    String dict =
        "{'descr': '"
            + descr
            + "', 'fortran_order': "
            + (fortran ? "True" : "False")
            + ", 'shape': ("
            + shape
            + "), }";
    int pre = version == 1 ? 10 : 12;
    int total = pre + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    ByteBuffer b =
        ByteBuffer.allocate(pre + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
    if (version == 1) {
      b.putShort((short) header.length());
    } else {
      b.putInt(header.length());
    }
    b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
    return b.array();
  }

  static byte[] floats(ByteOrder order, float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(order);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  private static NpyArray read(byte[] file) throws Exception {
    return NpyArray.read(new ByteArrayInputStream(file), "a.npy", file.length, 1L << 30);
  }

  @Test
  void everyDtypeAndByteOrderReadsToTheSameFloats() throws Exception {
    float[] want = {0f, 1.5f, -2f, 255f};
    assertThat(read(npy(1, "<f4", false, "2, 2", floats(ByteOrder.LITTLE_ENDIAN, want))).values())
        .containsExactly(want);
    assertThat(read(npy(1, ">f4", false, "2, 2", floats(ByteOrder.BIG_ENDIAN, want))).values())
        .containsExactly(want);
    ByteBuffer d = ByteBuffer.allocate(32).order(ByteOrder.BIG_ENDIAN);
    for (float f : want) {
      d.putDouble(f);
    }
    assertThat(read(npy(2, ">f8", false, "4,", d.array())).values()).containsExactly(want);
    NpyArray u8 = read(npy(1, "|u1", false, "4,", new byte[] {0, 1, (byte) 200, (byte) 255}));
    assertThat(u8.values()).containsExactly(0f, 1f, 200f, 255f);
    assertThat(u8.integral()).isTrue();
    ByteBuffer l = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(3).putLong(-7);
    assertThat(read(npy(1, "<i8", false, "2,", l.array())).values()).containsExactly(3f, -7f);
    ByteBuffer h = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    h.putShort((short) 0x3e00).putShort((short) 0xc000); // 1.5, -2 as float16
    assertThat(read(npy(1, "<f2", false, "2,", h.array())).values()).containsExactly(1.5f, -2f);
  }

  @Test
  void fortranOrderPicklesAndUnknownTypesAreRefused() {
    byte[] data = floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4);
    assertThatThrownBy(() -> read(npy(1, "<f4", true, "2, 2", data)))
        .isInstanceOf(InputFileException.class)
        .hasMessage(
            "a.npy: in Fortran order; save it in C order (numpy.ascontiguousarray(a) before"
                + " numpy.save)");
    assertThatThrownBy(() -> read(npy(1, "|O", false, "2,", new byte[] {(byte) 0x80, 4})))
        .hasMessage("a.npy: an array of Python objects (a pickle), which mlp never unpickles");
    assertThatThrownBy(() -> read(npy(1, "<c8", false, "1,", new byte[8])))
        .hasMessageStartingWith("a.npy: a dtype '<c8' mlp does not read");
  }

  @Test
  void aLyingShapeATruncationAndExtraBytesAreNamed() {
    byte[] four = floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4);
    assertThatThrownBy(() -> read(npy(1, "<f4", false, "3, 2", four)))
        .hasMessage(
            "a.npy: its header says shape [3, 2] of <f4 (24 bytes) but the file holds 16 after the"
                + " header (truncated, or the shape lies)");
    assertThatThrownBy(() -> read(npy(1, "<f4", false, "1000000000, 1000000000", four)))
        .hasMessageStartingWith(
            "a.npy: its shape [1000000000, 1000000000] is 1,000,000,000,000,000,000 values, more than mlp reads");
    // a stream of unknown length (a deflated zip entry): read to the declared size, then refused
    byte[] more = npy(1, "<f4", false, "2,", four);
    assertThatThrownBy(() -> NpyArray.read(new ByteArrayInputStream(more), "z.npz:X", -1, 1L << 30))
        .hasMessage("z.npz:X: holds more bytes than its shape [2] says");
    byte[] cut = npy(1, "<f4", false, "4,", four);
    byte[] shorter = java.util.Arrays.copyOf(cut, cut.length - 3);
    assertThatThrownBy(
            () -> NpyArray.read(new ByteArrayInputStream(shorter), "z.npz:X", -1, 1L << 30))
        .hasMessageStartingWith("z.npz:X: cut short: ");
    assertThatThrownBy(() -> read("not numpy at all".getBytes(StandardCharsets.US_ASCII)))
        .hasMessage("a.npy: not an .npy file (it does not start with \\x93NUMPY)");
    byte[] v9 = npy(1, "<f4", false, "4,", four);
    v9[6] = 9;
    assertThatThrownBy(() -> read(v9))
        .hasMessage("a.npy: an .npy format version 9, which mlp does not know (1 to 3)");
    assertThatThrownBy(
            () ->
                read(
                    npy(
                        1,
                        "<f4",
                        false,
                        "4,",
                        floats(ByteOrder.LITTLE_ENDIAN, 1, Float.NaN, 3, 4))))
        .hasMessage("a.npy: row 1: expected a finite number, got NaN");
  }

  @Test
  void halfPrecisionCoversSubnormalsAndInfinity() {
    assertThat(NpyArray.half((short) 0x0001)).isEqualTo(0x1p-24f);
    assertThat(NpyArray.half((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(NpyArray.half((short) 0x8000)).isEqualTo(-0f);
    assertThat(NpyArray.half((short) 0x3c00)).isEqualTo(1f);
  }

  /** Used by the .npz test: a zip of arrays as numpy.savez writes it. */
  static byte[] npz(boolean deflate, String[] names, byte[][] arrays) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(out)) {
      for (int i = 0; i < names.length; i++) {
        java.util.zip.ZipEntry e = new java.util.zip.ZipEntry(names[i] + ".npy");
        if (!deflate) {
          e.setMethod(java.util.zip.ZipEntry.STORED);
          e.setSize(arrays[i].length);
          java.util.zip.CRC32 crc = new java.util.zip.CRC32();
          crc.update(arrays[i]);
          e.setCrc(crc.getValue());
        }
        z.putNextEntry(e);
        z.write(arrays[i]);
        z.closeEntry();
      }
    }
    return out.toByteArray();
  }
}
