package dev.mlp.data.array;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A NumPy array's bad values named where a user finds them: by row and column, not offset. */
class NpyBadInputTest {
  private static byte[] npy(String descr, String shape, byte[] data) {
    String h = "{'descr': " + descr + ", 'fortran_order': False, 'shape': (" + shape + "), }";
    int pad = 64 - (10 + h.length() + 1) % 64;
    h = h + " ".repeat(pad % 64) + "\n";
    ByteBuffer b =
        ByteBuffer.allocate(10 + h.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.putShort((short) h.length());
    b.put(h.getBytes(StandardCharsets.ISO_8859_1));
    b.put(data);
    return b.array();
  }

  private static byte[] floats(float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  private static NpyArray read(byte[] b) throws Exception {
    return NpyArray.read(new ByteArrayInputStream(b), "X.npy", b.length, 1L << 30);
  }

  @Test
  void aNanOrInfinityIsNamedByRowAndColumn() {
    byte[] x = npy("'<f4'", "3, 2", floats(1, 2, 3, 4, 5, Float.NaN));
    assertThatThrownBy(() -> read(x))
        .hasMessage("X.npy: row 2, column 1: expected a finite number, got NaN");
    byte[] y = npy("'<f4'", "4,", floats(1, Float.NEGATIVE_INFINITY, 3, 4));
    assertThatThrownBy(() -> read(y))
        .hasMessage("X.npy: row 1: expected a finite number, got -Infinity");
    assertThat(NpyArray.where(List.of(2L, 3L, 4L), 23)).isEqualTo("value (1, 2, 3)");
  }

  @Test
  void aStructuredDtypeIsSaidToBeOne() {
    byte[] rec = npy("[('a', '<i4'), ('b', '<f4')]", "2,", new byte[16]);
    assertThatThrownBy(() -> read(rec))
        .hasMessageStartingWith("X.npy: a structured (record) dtype, which mlp does not read");
  }

  @Test
  void anArrayPastTheHeapSaysHowToGiveJavaMore() {
    byte[] big = npy("'<f4'", "1000, 1000", new byte[0]);
    assertThatThrownBy(() -> NpyArray.read(new ByteArrayInputStream(big), "X.npy", -1, 1000))
        .hasMessageEndingWith("; give Java more with MLP_JAVA_OPTS=-Xmx...");
  }

  @Test
  void aClassLabelThatIsNotANonNegativeIntegerIsNamedByRow() throws Exception {
    NpyArray x = read(npy("'<f4'", "4, 1", floats(1, 2, 3, 4)));
    ByteBuffer yb = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : new long[] {0, 1, -1, 1}) {
      yb.putLong(v);
    }
    byte[] yBytes = npy("'<i8'", "4,", yb.array());
    NpyArray y = NpyArray.read(new ByteArrayInputStream(yBytes), "y.npy", yBytes.length, 1L << 30);
    assertThatThrownBy(
            () ->
                ArrayDatasets.build(
                    "X.npy", x, y, null, null, null, null, 0.25, 42, "sum", l -> {}))
        .hasMessage("y.npy: row 2: expected a class label, an integer >= 0, got -1");
  }
}
