package dev.mlp.run.image;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.stream.ImageOutputStream;

/**
 * Image files as the tests need them, each made by the JDK's own encoders (libjpeg for JPEG) or,
 * where a file must claim what no encoder would write, by editing or building its bytes by the
 * format's rules.
 */
final class ImageFiles {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private ImageFiles() {}

  /** A "7" drawn black on white with a thick anti-aliased stroke, scaled to w×h. */
  static BufferedImage seven(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.BLACK);
    g.scale(w / 240.0, h / 320.0);
    g.setStroke(new BasicStroke(22, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.drawLine(50, 60, 190, 60);
    g.drawLine(190, 60, 100, 280);
    g.dispose();
    return img;
  }

  /** {@code img} encoded as {@code format} ("png", "jpeg", ...) by ImageIO. */
  static byte[] encode(BufferedImage img, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, format, out)) {
        throw new IllegalStateException("no ImageIO writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** {@code img} as a progressive JPEG. */
  static byte[] progressiveJpeg(BufferedImage img) {
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    JPEGImageWriteParam p = (JPEGImageWriteParam) w.getDefaultWriteParam();
    p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
    return write(w, new IIOImage(img, null, null), p);
  }

  private static byte[] write(ImageWriter w, IIOImage image, ImageWriteParam p) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      w.setOutput(out);
      w.write(null, image, p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      w.dispose();
    }
    return bytes.toByteArray();
  }

  /**
   * {@code jpeg} with the frame size in its SOF header set to w×h (the rest unchanged): what a
   * decompression bomb is, a small file whose header claims a huge picture.
   */
  static byte[] claiming(byte[] jpeg, int w, int h) {
    byte[] b = jpeg.clone();
    int i = 2;
    while (i + 4 < b.length && (b[i] & 0xFF) == 0xFF) {
      int marker = b[i + 1] & 0xFF;
      int length = (b[i + 2] & 0xFF) << 8 | b[i + 3] & 0xFF;
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
        // SOFn: length (2), precision (1), height (2), width (2), ...
        b[i + 5] = (byte) (h >> 8);
        b[i + 6] = (byte) h;
        b[i + 7] = (byte) (w >> 8);
        b[i + 8] = (byte) w;
        return b;
      }
      i += 2 + length;
    }
    throw new IllegalArgumentException("no SOF header in the JPEG");
  }

  /**
   * A valid PNG of w×h 1-bit grey pixels, all black, built chunk by chunk: the picture is never
   * held in memory, so its size is only bounded by the PNG format. 46000×46000 deflates to about
   * 260 KB.
   */
  static byte[] blackOneBitPng(int w, int h) {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    chunk(
        png,
        "IHDR",
        ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 1).put(new byte[4]).array());
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    byte[] row = new byte[1 + (w + 7) / 8]; // filter type 0, then the row's bits: 0, black
    byte[] buffer = new byte[1 << 16];
    for (int y = 0; y < h; y++) {
      deflater.setInput(row);
      while (!deflater.needsInput()) {
        idat.write(buffer, 0, deflater.deflate(buffer));
      }
    }
    deflater.finish();
    while (!deflater.finished()) {
      idat.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    chunk(png, "IDAT", idat.toByteArray());
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    png.writeBytes(t);
    png.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  /** Ink per pixel (0 none, 255 full) of the black-on-white picture {@code img}. */
  private static int ink(BufferedImage img, int x, int y) {
    return 255 - (img.getRGB(x, y) & 0xFF);
  }

  /**
   * {@code img} (black on white) as a CMYK JPEG the way Photoshop saves one, written by the JDK's
   * encoder from a picture in a CMYK colour space: an Adobe marker saying YCCK (transform 2), the
   * ink stored inverted (255: none). The ink is black only, or (richBlack) cyan, magenta and yellow
   * with a little black.
   */
  static byte[] adobeYcckJpeg(BufferedImage img, boolean richBlack) {
    ColorModel cm =
        new ComponentColorModel(
            new Cmyk(), false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
    WritableRaster r = cm.createCompatibleWritableRaster(img.getWidth(), img.getHeight());
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int k = ink(img, x, y);
        r.setPixel(x, y, richBlack ? new int[] {k, k, k * 9 / 10, k / 4} : new int[] {0, 0, 0, k});
      }
    }
    byte[] jpeg = encode(new BufferedImage(cm, r, false, null), "jpeg");
    if (adobeTransform(jpeg) != 2) {
      throw new IllegalStateException("the JDK did not write an Adobe YCCK JPEG");
    }
    return jpeg;
  }

  /**
   * {@code img} (black on white) as a CMYK JPEG without an Adobe marker, the ink stored as is (0:
   * none), as the JDK's encoder writes a four-band raster. Its ink is black only, or (richBlack)
   * cyan, magenta and yellow with a little black.
   */
  static byte[] plainCmykJpeg(BufferedImage img, boolean richBlack) {
    WritableRaster r =
        Raster.createInterleavedRaster(
            DataBuffer.TYPE_BYTE, img.getWidth(), img.getHeight(), 4, null);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int k = ink(img, x, y);
        r.setPixel(x, y, richBlack ? new int[] {k, k, k * 9 / 10, k / 4} : new int[] {0, 0, 0, k});
      }
    }
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    byte[] jpeg = write(w, new IIOImage(r, null, null), w.getDefaultWriteParam());
    if (adobeTransform(jpeg) != -1) {
      throw new IllegalStateException("the JDK wrote an Adobe marker");
    }
    return jpeg;
  }

  /** The transform of the JPEG's Adobe marker, -1 if it has none. */
  static int adobeTransform(byte[] jpeg) {
    int i = 2;
    while (i + 4 < jpeg.length && (jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) != 0xDA) {
      int length = (jpeg[i + 2] & 0xFF) << 8 | jpeg[i + 3] & 0xFF;
      if ((jpeg[i + 1] & 0xFF) == 0xEE && length >= 14) {
        return jpeg[i + 2 + length - 1] & 0xFF;
      }
      i += 2 + length;
    }
    return -1;
  }

  /** A CMYK colour space (naive, no profile) for writing CMYK pictures with ImageIO. */
  private static final class Cmyk extends ColorSpace {
    private static final long serialVersionUID = 1L;

    Cmyk() {
      super(TYPE_CMYK, 4);
    }

    @Override
    public float[] toRGB(float[] v) {
      return new float[] {
        (1 - v[0]) * (1 - v[3]), (1 - v[1]) * (1 - v[3]), (1 - v[2]) * (1 - v[3])
      };
    }

    @Override
    public float[] fromRGB(float[] rgb) {
      float k = 1 - Math.max(rgb[0], Math.max(rgb[1], rgb[2]));
      return new float[] {0, 0, 0, k};
    }

    @Override
    public float[] toCIEXYZ(float[] v) {
      return ColorSpace.getInstance(CS_sRGB).toCIEXYZ(toRGB(v));
    }

    @Override
    public float[] fromCIEXYZ(float[] v) {
      return fromRGB(ColorSpace.getInstance(CS_sRGB).fromCIEXYZ(v));
    }
  }
}
