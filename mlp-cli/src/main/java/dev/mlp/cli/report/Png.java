package dev.mlp.cli.report;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * A PNG encoder for the report's charts: 8-bit RGB, every row filtered with "Sub" (each byte minus
 * the same channel of the pixel to its left), one zlib stream.
 *
 * <p>ImageIO's PNG writer reads the picture back pixel by pixel through {@code Raster.getPixels}
 * and tries several filters per row. At the end of a training that code is cold: in a fresh JVM it
 * was about 40 % of the time the report spent drawing and encoding, and a report of the seed run
 * took 0.62–0.79 s with this encoder against 0.76–0.95 s with ImageIO's (alternating, AVX2 EPYC).
 * This one reads each row of the image's own {@code int}s once and compresses row by row, with no
 * temporary file and no copy of the whole picture. A chart is mostly flat colour, which "Sub" turns
 * into runs of zeros: the files come out about 10 % larger than ImageIO's.
 */
final class Png {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  /** PNG's row filter "Sub". */
  private static final byte FILTER_SUB = 1;

  private Png() {}

  /**
   * {@code image} as a PNG file. The image must be {@link BufferedImage#TYPE_INT_RGB} in sRGB, as
   * the charts are drawn into.
   */
  static byte[] encode(BufferedImage image) {
    if (image.getType() != BufferedImage.TYPE_INT_RGB
        || !image.getColorModel().getColorSpace().isCS_sRGB()) {
      throw new IllegalArgumentException(
          "expected a TYPE_INT_RGB image in sRGB, got type " + image.getType());
    }
    int w = image.getWidth();
    int h = image.getHeight();
    Raster raster = image.getRaster();
    int[] row = new int[w];
    byte[] line = new byte[1 + 3 * w];
    line[0] = FILTER_SUB;
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
    ByteArrayOutputStream z = new ByteArrayOutputStream(8192);
    try (DeflaterOutputStream out = new DeflaterOutputStream(z, deflater, 1 << 16)) {
      for (int y = 0; y < h; y++) {
        // the raster's own row, whatever its stride or offset (a sub-image's too)
        raster.getDataElements(raster.getMinX(), raster.getMinY() + y, w, 1, row);
        int left = 0;
        for (int x = 0, o = 1; x < w; x++) {
          int p = row[x];
          line[o++] = (byte) ((p >>> 16) - (left >>> 16));
          line[o++] = (byte) ((p >>> 8) - (left >>> 8));
          line[o++] = (byte) (p - left);
          left = p;
        }
        out.write(line);
      }
    } catch (IOException e) { // a ByteArrayOutputStream does not throw
      throw new IllegalStateException(e);
    } finally {
      deflater.end();
    }
    byte[] idat = z.toByteArray();
    ByteBuffer header = ByteBuffer.allocate(13);
    header.putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0);
    header.put((byte) 0);
    ByteArrayOutputStream png = new ByteArrayOutputStream(idat.length + 64);
    png.writeBytes(SIGNATURE);
    chunk(png, "IHDR", header.array());
    chunk(png, "IDAT", idat);
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
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
