package dev.mlp.cli.report;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A PNG encoder for the report's charts: 8-bit RGB, every row filtered with "Sub" (each byte minus
 * the same channel of the pixel to its left), one zlib stream.
 *
 * <p>ImageIO's PNG writer reads the picture back pixel by pixel through {@code Raster.getPixels}
 * and tries several filters per row. At the end of a training that code is cold, and it took about
 * half of the report's time: a report of the seed run took 0.62-0.79 s from a fresh JVM with this
 * encoder against 0.76-0.95 s with ImageIO's (alternating, AVX2 EPYC). This one reads the image's
 * own {@code int[]} once, with no temporary file. A chart is mostly flat colour, which "Sub" turns
 * into runs of zeros: the files come out about 10 % larger than ImageIO's.
 */
final class Png {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  /** PNG's row filter "Sub". */
  private static final byte FILTER_SUB = 1;

  private Png() {}

  /**
   * {@code image} as a PNG file. The image must be {@link BufferedImage#TYPE_INT_RGB}, as the
   * charts are drawn into.
   */
  static byte[] encode(BufferedImage image) {
    if (image.getType() != BufferedImage.TYPE_INT_RGB) {
      throw new IllegalArgumentException(
          "expected a TYPE_INT_RGB image, got type " + image.getType());
    }
    int w = image.getWidth();
    int h = image.getHeight();
    int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    if (pixels.length != w * h || image.getRaster().getParent() != null) {
      throw new IllegalArgumentException("expected a whole image, not a part of a larger one");
    }
    int stride = 1 + 3 * w;
    byte[] raw = new byte[h * stride];
    for (int y = 0; y < h; y++) {
      int o = y * stride;
      raw[o++] = FILTER_SUB;
      int left = 0;
      int row = y * w;
      for (int x = 0; x < w; x++) {
        int p = pixels[row + x];
        raw[o++] = (byte) ((p >>> 16) - (left >>> 16));
        raw[o++] = (byte) ((p >>> 8) - (left >>> 8));
        raw[o++] = (byte) (p - left);
        left = p;
      }
    }
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
    byte[] idat;
    try {
      deflater.setInput(raw);
      deflater.finish();
      ByteArrayOutputStream z = new ByteArrayOutputStream(raw.length / 8 + 64);
      byte[] buf = new byte[1 << 16];
      while (!deflater.finished()) {
        z.write(buf, 0, deflater.deflate(buf));
      }
      idat = z.toByteArray();
    } finally {
      deflater.end();
    }
    ByteBuffer header = ByteBuffer.allocate(13);
    header.putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0);
    header.put((byte) 0);
    ByteArrayOutputStream out = new ByteArrayOutputStream(idat.length + 64);
    out.writeBytes(SIGNATURE);
    chunk(out, "IHDR", header.array());
    chunk(out, "IDAT", idat);
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(t);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
