package dev.mlp.run.image;

import dev.mlp.run.OneLine;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns any picture of a digit into the 28×28 input an MNIST model expects, prepared the way MNIST
 * was: white ink on black, the digit scaled (anti-aliased, aspect ratio kept) to fit a 20×20 box,
 * then placed so that its centre of mass is at pixel (14, 14).
 */
public final class MnistImages {
  /** Width and height of an MNIST image. */
  public static final int SIDE = 28;

  /** The longer side of the digit's box once scaled. */
  public static final int BOX = 20;

  /** Ink weaker than this (after the levels are stretched) is outside the digit's box. */
  static final float INK = 0.05f;

  /** An image whose strongest ink is less than this above the background holds no digit. */
  static final float MIN_CONTRAST = 0.1f;

  /** The side of the largest square picture {@link #read} decodes. */
  private static final int SQUARE = 8192;

  /**
   * The longest side, in pixels, of a picture {@link #read} decodes: 16384, room for a panorama or
   * a long scan.
   */
  public static final int MAX_SIDE = 16384;

  /**
   * The most pixels a picture {@link #read} decodes: 8192×8192 = 67,108,864. A 48- or 64-megapixel
   * phone photo (8000×6000, 9248×6936) is within it, a 108-megapixel one is not. Decoded and
   * prepared, a picture this large takes up to about 1 GB of memory: 16 bytes a pixel at most (8
   * for a 16-bit RGBA PNG, 4 for its grey levels, 4 for its alpha), 7 for an RGB JPEG.
   */
  public static final long MAX_PIXELS = (long) SQUARE * SQUARE;

  private MnistImages() {}

  /**
   * Reads a PNG, JPEG, GIF, BMP or TIFF file (its first picture), refusing what it cannot read
   * whole and as it is meant to be seen:
   *
   * <ul>
   *   <li>a picture whose header claims more than {@value #MAX_SIDE} pixels a side or {@link
   *       #MAX_PIXELS} in all, before anything is decoded (a few kilobytes of JPEG or PNG can claim
   *       46000×46000 pixels, 6 GB once decoded);
   *   <li>a file cut short or damaged: a PNG whose chunks do not reach its end (IEND), a JPEG on
   *       which the decoder warns that data is missing or corrupt (where it would fill the rest of
   *       the picture with grey), any file the decoder fails on;
   * </ul>
   *
   * A CMYK or YCCK JPEG is converted to RGB here from its raw channels, its ink inverted if it
   * carries an Adobe marker (as Photoshop writes them) and as stored if not.
   *
   * <p>Use it rather than {@code ImageIO.read} on files from elsewhere: {@code ImageIO.read}
   * allocates whatever a header claims and accepts a truncated JPEG.
   *
   * @throws IOException with a one-line message naming the file, when it is missing, not an image,
   *     too large, cut short or cannot be decoded (the CLI reports an {@code IOException} as bad
   *     input, exit code 2)
   */
  public static BufferedImage read(Path file) throws IOException {
    String name = OneLine.escape(file.toString());
    if (!Files.exists(file)) {
      throw new IOException(
          name
              + (Files.isSymbolicLink(file)
                  ? ": a symbolic link that leads nowhere (its target is missing, or a loop)"
                  : ": no such file"));
    }
    if (!Files.isRegularFile(file)) {
      throw new IOException(name + ": not a file");
    }
    ImageInputStream in;
    try {
      in = ImageIO.createImageInputStream(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new IOException(name + ": cannot read the file: " + e.getMessage(), e);
    }
    if (in == null) {
      throw new IOException(name + ": cannot read the file");
    }
    try (in) {
      Iterator<ImageReader> readers;
      try {
        readers = ImageIO.getImageReaders(in);
      } catch (RuntimeException e) {
        throw unreadable(name, "image", e);
      }
      if (!readers.hasNext()) {
        throw new IOException(name + ": not an image (PNG, JPEG, GIF, BMP or TIFF)");
      }
      ImageReader reader = readers.next();
      try {
        return decode(file, name, reader, in);
      } finally {
        reader.dispose();
      }
    }
  }

  /** The first picture of {@code in}, checked as {@link #read} says. */
  private static BufferedImage decode(
      Path file, String name, ImageReader reader, ImageInputStream in) throws IOException {
    String format = "image";
    List<String> warnings = new ArrayList<>();
    reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
    boolean jpeg;
    int w;
    int h;
    try {
      format = reader.getFormatName().toUpperCase(Locale.ROOT);
      jpeg = format.equals("JPEG") || format.equals("JPG");
      // without metadata: a PNG's compressed text and profile chunks are not inflated
      reader.setInput(in, false, true);
      // from the header alone: nothing is decoded yet
      w = reader.getWidth(0);
      h = reader.getHeight(0);
    } catch (IOException | RuntimeException e) {
      throw unreadable(name, format, e);
    }
    if (w > MAX_SIDE || h > MAX_SIDE || (long) w * h > MAX_PIXELS) {
      throw new IOException(
          String.format(
              Locale.ROOT,
              "%s: its header claims %d×%d pixels; mlp decodes at most %d pixels a side and %d"
                  + " (%d×%d) in all",
              name,
              w,
              h,
              MAX_SIDE,
              MAX_PIXELS,
              SQUARE,
              SQUARE));
    }
    if (format.equals("PNG")) {
      checkPngChunks(file, name);
    }
    BufferedImage image;
    try {
      Cmyk cmyk = jpeg ? Cmyk.of(file) : null;
      image = cmyk == null ? reader.read(0) : cmyk.toRgb(reader.readRaster(0, null));
    } catch (IOException | RuntimeException e) {
      if (jpeg) {
        // the decoder may fail on a JPEG cut short (in a later scan's tables, say) after warning
        checkJpegWarnings(name, warnings);
      }
      throw unreadable(name, format, e);
    }
    if (jpeg) {
      checkJpegWarnings(name, warnings);
    }
    return image;
  }

  /**
   * Refuses a JPEG the decoder warned about, unless the warning leaves the picture whole. The
   * decoder does not fail on a JPEG cut short: it warns, and paints what is missing mid-grey.
   */
  private static void checkJpegWarnings(String name, List<String> warnings) throws IOException {
    for (String warning : warnings) {
      String w = warning.toLowerCase(Locale.ROOT);
      if (w.contains("truncated") || w.contains("premature end of jpeg file")) {
        throw new IOException(name + ": the JPEG data ends early (the file is truncated)");
      }
    }
    for (String warning : warnings) {
      String w = warning.toLowerCase(Locale.ROOT);
      boolean harmless =
          w.contains("color profile") // an invalid ICC profile, ignored
              || w.contains("thumbnail") // a JFIF marker in a thumbnail, ignored
              || w.contains("jfif revision")
              || w.contains("extraneous bytes before marker 0xd9"); // padding after the picture
      if (!harmless) {
        throw new IOException(name + ": the JPEG data is damaged: " + OneLine.escape(warning));
      }
    }
  }

  /**
   * Walks a PNG's chunks (length, type, data, CRC) to its IEND chunk without reading their data: a
   * file cut short ends inside a chunk or before IEND. (The decoder reports a cut inside the image
   * data as an invalid chunk length, and reads a file cut before IEND as if it were whole.)
   */
  private static void checkPngChunks(Path file, String name) throws IOException {
    try (DataInputStream d =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      d.skipNBytes(8); // the signature
      while (true) {
        int length = d.readInt();
        int type = d.readInt();
        if (length < 0) {
          return; // not a length a PNG can have: the decoder says so
        }
        d.skipNBytes(length + 4L); // data and CRC
        if (type == 0x49454E44) { // IEND
          return;
        }
      }
    } catch (EOFException e) {
      throw new IOException(name + ": the PNG data ends early (the file is truncated)");
    }
  }

  /** One line for a decoder's failure: "ends early" if it ran out of data. */
  private static IOException unreadable(String name, String format, Throwable e) {
    StringBuilder detail = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof EOFException) {
        return new IOException(
            name + ": the " + format + " data ends early (the file is truncated)", e);
      }
      String m = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
      if (detail.indexOf(m) < 0) {
        detail.append(detail.length() == 0 ? "" : ": ").append(m);
      }
    }
    return new IOException(
        name + ": cannot read the image: " + OneLine.escape(detail.toString()), e);
  }

  /**
   * How a four-channel JPEG stores its ink: YCCK or CMYK, inverted or not. The JDK's own conversion
   * of such JPEGs differs between JDK builds (an error, or all black for a JPEG stored as is), so
   * {@link #read} converts them here.
   */
  private record Cmyk(boolean ycck, boolean inverted) {
    /**
     * The layout of the JPEG {@code file}, from its markers up to the first scan (the frame header
     * SOF and Adobe's APP14); null unless it has four channels.
     *
     * @throws EOFException if the file ends before its first scan
     */
    static Cmyk of(Path file) throws IOException {
      int components = 0;
      int transform = -1; // no Adobe marker
      try (DataInputStream d =
          new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
        d.skipNBytes(2); // SOI
        while (true) {
          int b = d.readUnsignedByte();
          if (b != 0xFF) {
            return null; // not a marker where one belongs: the decoder says what is wrong
          }
          int marker = d.readUnsignedByte();
          while (marker == 0xFF) { // fill bytes
            marker = d.readUnsignedByte();
          }
          if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD7) {
            continue; // no length
          }
          if (marker == 0xD9 || marker == 0xDA) { // EOI, SOS: the header is over
            break;
          }
          int length = d.readUnsignedShort() - 2;
          if (length < 0) {
            return null;
          }
          byte[] data = new byte[length];
          d.readFully(data);
          boolean sof =
              marker >= 0xC0
                  && marker <= 0xCF
                  && marker != 0xC4
                  && marker != 0xC8
                  && marker != 0xCC;
          if (sof && length >= 6 && components == 0) {
            components = data[5] & 0xFF; // precision, height (2), width (2), components
          }
          if (marker == 0xEE
              && length >= 12
              && new String(data, 0, 5, StandardCharsets.ISO_8859_1).equals("Adobe")) {
            transform = data[11] & 0xFF; // version (2), flags0 (2), flags1 (2), transform
          }
        }
      }
      if (components != 4) {
        return null;
      }
      // as libjpeg reads them: no Adobe marker, CMYK as stored; Adobe's transform 0 is CMYK, any
      // other YCCK, and Adobe stores ink inverted (255 for none)
      return transform < 0 ? new Cmyk(false, false) : new Cmyk(transform != 0, true);
    }

    /**
     * The raw channels (Y, Cb, Cr, K or C, M, Y, K) as an RGB picture: YCC to RGB as JFIF defines
     * it and CMY = 255 − RGB (libjpeg's YCCK), each ink uninverted if Adobe's, then R = (1 − C)(1 −
     * K) and likewise G from M, B from Y.
     */
    BufferedImage toRgb(Raster raw) {
      int w = raw.getWidth();
      int h = raw.getHeight();
      BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      int[] out = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
      int[] px = new int[4 * w];
      for (int y = 0; y < h; y++) {
        raw.getPixels(raw.getMinX(), raw.getMinY() + y, w, 1, px);
        for (int x = 0; x < w; x++) {
          int c = px[4 * x];
          int m = px[4 * x + 1];
          int ye = px[4 * x + 2];
          int k = px[4 * x + 3];
          if (ycck) {
            double luma = c;
            double cb = m - 128;
            double cr = ye - 128;
            c = 255 - byteOf(luma + 1.402 * cr);
            m = 255 - byteOf(luma - 0.344136 * cb - 0.714136 * cr);
            ye = 255 - byteOf(luma + 1.772 * cb);
          }
          if (inverted) {
            c = 255 - c;
            m = 255 - m;
            ye = 255 - ye;
            k = 255 - k;
          }
          int r = Math.round((255 - c) * (255 - k) / 255f);
          int g = Math.round((255 - m) * (255 - k) / 255f);
          int b = Math.round((255 - ye) * (255 - k) / 255f);
          out[y * w + x] = r << 16 | g << 8 | b;
        }
      }
      return rgb;
    }

    private static int byteOf(double v) {
      return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
  }

  /**
   * The 784 pixels (row-major, in [0, 1], steps of 1/255 as the MNIST files hold them) of {@code
   * image} prepared as an MNIST digit:
   *
   * <ol>
   *   <li>Grey levels by luminance (0.299 R + 0.587 G + 0.114 B); a grey image's own levels.
   *   <li>Polarity. The background is what the image's outermost ring of pixels shows. If that ring
   *       is mostly opaque and on average brighter than 1/2, the image is dark ink on a light
   *       ground and is inverted. If the ring is mostly transparent, the opaque pixels are the
   *       digit: it is inverted if they are on average darker than 1/2. Ink is then {@code alpha ×
   *       level}, so transparent pixels are background either way.
   *   <li>Levels: the median of the ring becomes 0 and the strongest ink 1. If the strongest ink is
   *       less than {@value #MIN_CONTRAST} above that background, there is no digit: {@link
   *       BlankImageException}.
   *   <li>Crop to the box of ink above {@value #INK}, scale it so its longer side is {@value #BOX}:
   *       area averaging when shrinking, bilinear when enlarging.
   *   <li>Paste it into {@value #SIDE}×{@value #SIDE} shifted by whole pixels so its centre of mass
   *       is as near (14, 14) (column, row) as the frame allows: the box is never cut.
   * </ol>
   *
   * An MNIST sample (white on black, 20 pixels on its longer side, centred) comes back nearly as it
   * was: its brightest level is stretched to 255, ink fainter than {@value #INK} outside the box of
   * the rest is dropped, and a centre of mass half-way between pixels may move by one.
   *
   * @throws BlankImageException if nothing in the picture stands out from its background
   */
  public static float[] toMnist(BufferedImage image) {
    return prepare(image, BOX, true);
  }

  /**
   * The {@value #SIDE}×{@value #SIDE} grey levels of a picture of a garment or shoe prepared as
   * Fashion-MNIST was: steps 1–2 of {@link #toMnist} (grey, polarity from the outer ring), the
   * background level made 0 without stretching the product's shades (Fashion-MNIST keeps a grey
   * shirt grey), then the box of the object scaled so its longer side fills the {@value #SIDE}
   * pixels, centred by its box (its products fill the frame; they are not centred by mass).
   *
   * @throws BlankImageException if nothing in the picture stands out from its background
   */
  public static float[] toFashionMnist(BufferedImage image) {
    return prepare(image, SIDE, false);
  }

  /** Crops to the ink, scales its longer side to {@code box}, centres by mass or by the box. */
  private static float[] prepare(BufferedImage image, int boxSide, boolean byMass) {
    int w = image.getWidth();
    int h = image.getHeight();
    float[] ink = ink(image, w, h);

    float[] ring = ring(ink, w, h);
    Arrays.sort(ring);
    float background = ring[ring.length / 2];
    float strongest = 0;
    for (float v : ink) {
      strongest = Math.max(strongest, v);
    }
    if (strongest - background < MIN_CONTRAST) {
      throw new BlankImageException(); // no digit to make up an input of
    }
    float[] out = new float[SIDE * SIDE];
    // a digit's strongest ink becomes 1 (MNIST's were stretched); a product keeps its shades
    float full = byMass ? strongest : 1;
    int x0 = w;
    int x1 = -1;
    int y0 = h;
    int y1 = -1;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float v = Math.max(0, (ink[y * w + x] - background) / (full - background));
        ink[y * w + x] = v;
        if (v > INK) {
          x0 = Math.min(x0, x);
          x1 = Math.max(x1, x);
          y0 = Math.min(y0, y);
          y1 = Math.max(y1, y);
        }
      }
    }
    int cw = x1 - x0 + 1;
    int ch = y1 - y0 + 1;
    int tw = Math.max(1, Math.round((float) cw * boxSide / Math.max(cw, ch)));
    int th = Math.max(1, Math.round((float) ch * boxSide / Math.max(cw, ch)));
    float[] box = resize(ink, w, x0, y0, cw, ch, tw, th);

    double mass = byMass ? 0 : 1;
    double mx = byMass ? 0 : tw / 2.0;
    double my = byMass ? 0 : th / 2.0;
    for (int y = 0; byMass && y < th; y++) {
      for (int x = 0; x < tw; x++) {
        float v = box[y * tw + x];
        mass += v;
        mx += v * x;
        my += v * y;
      }
    }
    int left = clamp((int) Math.round(SIDE / 2.0 - mx / mass), SIDE - tw);
    int top = clamp((int) Math.round(SIDE / 2.0 - my / mass), SIDE - th);
    for (int y = 0; y < th; y++) {
      for (int x = 0; x < tw; x++) {
        out[(top + y) * SIDE + left + x] = Math.round(box[y * tw + x] * 255) / 255f;
      }
    }
    return out;
  }

  /**
   * Ink per pixel in [0, 1]: alpha × level, the level inverted for dark ink (see toMnist). An
   * opaque picture has no alpha array (alpha 1 everywhere): 4 bytes a pixel, not 8.
   */
  private static float[] ink(BufferedImage image, int w, int h) {
    float[] level = new float[w * h];
    ColorModel cm = image.getColorModel();
    float[] alpha = cm.hasAlpha() ? new float[w * h] : null;
    if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
      // getRGB would convert these levels as linear light and brighten them; viewers show them as
      // is
      Raster r = image.getRaster();
      float max = (1 << cm.getComponentSize(0)) - 1;
      float maxAlpha = cm.hasAlpha() ? (1 << cm.getComponentSize(1)) - 1 : 1;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          level[y * w + x] = r.getSample(x, y, 0) / max;
          if (alpha != null) {
            alpha[y * w + x] = r.getSample(x, y, 1) / maxAlpha;
          }
        }
      }
    } else {
      int[] argb = new int[w];
      for (int y = 0; y < h; y++) {
        image.getRGB(0, y, w, 1, argb, 0, w);
        for (int x = 0; x < w; x++) {
          int p = argb[x];
          level[y * w + x] =
              (0.299f * (p >> 16 & 0xFF) + 0.587f * (p >> 8 & 0xFF) + 0.114f * (p & 0xFF)) / 255f;
          if (alpha != null) {
            alpha[y * w + x] = (p >>> 24) / 255f;
          }
        }
      }
    }
    boolean invert = darkInk(level, alpha, w, h);
    for (int i = 0; i < level.length; i++) {
      float v = invert ? 1 - level[i] : level[i];
      level[i] = alpha != null ? alpha[i] * v : v;
    }
    return level;
  }

  /**
   * Whether the digit is darker than its background (the polarity rule of toMnist); {@code alpha}
   * null for an opaque picture.
   */
  private static boolean darkInk(float[] level, float[] alpha, int w, int h) {
    float[] ringLevel = ring(level, w, h);
    if (alpha == null) {
      double sum = 0;
      for (float v : ringLevel) {
        sum += v;
      }
      return sum / ringLevel.length > 0.5; // opaque: a light background
    }
    float[] ringAlpha = ring(alpha, w, h);
    double opaque = 0;
    double sum = 0;
    for (int i = 0; i < ringAlpha.length; i++) {
      opaque += ringAlpha[i];
      sum += ringAlpha[i] * ringLevel[i];
    }
    if (opaque >= ringAlpha.length / 2.0) {
      return sum / opaque > 0.5; // a light background
    }
    double weight = 0;
    double ink = 0;
    for (int i = 0; i < level.length; i++) {
      weight += alpha[i];
      ink += alpha[i] * level[i];
    }
    return weight > 0 && ink / weight < 0.5; // on a transparent background, dark opaque pixels
  }

  /** The outermost ring of pixels of a w×h image, each pixel once. */
  private static float[] ring(float[] pixels, int w, int h) {
    if (w <= 2 || h <= 2) {
      return pixels.clone();
    }
    float[] ring = new float[2 * w + 2 * (h - 2)];
    int k = 0;
    for (int x = 0; x < w; x++) {
      ring[k++] = pixels[x];
      ring[k++] = pixels[(h - 1) * w + x];
    }
    for (int y = 1; y < h - 1; y++) {
      ring[k++] = pixels[y * w];
      ring[k++] = pixels[y * w + w - 1];
    }
    return ring;
  }

  /** The cw×ch region at (x0, y0) of a w-wide image, resampled to tw×th. */
  private static float[] resize(
      float[] pixels, int w, int x0, int y0, int cw, int ch, int tw, int th) {
    double[][] wx = weights(cw, tw);
    double[][] wy = weights(ch, th);
    float[] rows = new float[ch * tw];
    for (int y = 0; y < ch; y++) {
      for (int i = 0; i < tw; i++) {
        double s = 0;
        for (int x = 0; x < cw; x++) {
          s += wx[i][x] * pixels[(y0 + y) * w + x0 + x];
        }
        rows[y * tw + i] = (float) s;
      }
    }
    float[] out = new float[th * tw];
    for (int j = 0; j < th; j++) {
      for (int i = 0; i < tw; i++) {
        double s = 0;
        for (int y = 0; y < ch; y++) {
          s += wy[j][y] * rows[y * tw + i];
        }
        out[j * tw + i] = (float) s;
      }
    }
    return out;
  }

  /**
   * Weights {@code [m][n]} that resample a line of n pixels to m, normalised to sum 1. Shrinking,
   * each output pixel averages the source it covers (area averaging, parts of pixels by their
   * share); enlarging, it interpolates linearly between the two nearest. Equal sizes give the
   * identity.
   */
  private static double[][] weights(int n, int m) {
    double scale = (double) n / m;
    double[][] weights = new double[m][n];
    for (int i = 0; i < m; i++) {
      double centre = (i + 0.5) * scale;
      double sum = 0;
      for (int x = 0; x < n; x++) {
        double wgt =
            scale > 1
                ? Math.max(0, Math.min(x + 1, (i + 1) * scale) - Math.max(x, i * scale))
                : Math.max(0, 1 - Math.abs(x + 0.5 - centre));
        weights[i][x] = wgt;
        sum += wgt;
      }
      for (int x = 0; x < n; x++) {
        weights[i][x] /= sum;
      }
    }
    return weights;
  }

  private static int clamp(int offset, int max) {
    return Math.max(0, Math.min(max, offset));
  }
}
