package dev.mlp.data.idx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPOutputStream;

/** Builds IDX files in memory for the tests. */
public final class IdxBytes {
  private IdxBytes() {}

  public static byte[] idx(int dtype, int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.putInt((dtype << 8) | dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    b.put(data);
    return b.array();
  }

  public static byte[] images(int count, int rows, int cols, long seed) {
    byte[] px = new byte[count * rows * cols];
    java.util.Random r = new java.util.Random(seed);
    r.nextBytes(px);
    return idx(0x08, new int[] {count, rows, cols}, px);
  }

  public static byte[] labels(int... labels) {
    byte[] b = new byte[labels.length];
    for (int i = 0; i < labels.length; i++) {
      b[i] = (byte) labels[i];
    }
    return idx(0x08, new int[] {labels.length}, b);
  }

  public static byte[] gzip(byte[] raw) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(raw);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
