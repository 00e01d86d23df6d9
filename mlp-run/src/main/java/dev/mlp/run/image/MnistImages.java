package dev.mlp.run.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

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

  private MnistImages() {}

  /**
   * Reads a PNG, JPEG, GIF, BMP or TIFF file.
   *
   * @throws IOException with a one-line message naming the file, when it is missing, not an image,
   *     or cannot be decoded (the CLI reports an {@code IOException} as bad input, exit code 2)
   */
  public static BufferedImage read(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IOException(file + ": no such file");
    }
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": not a file");
    }
    BufferedImage image;
    try {
      image = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) { // decoders throw both on damaged files
      throw new IOException(file + ": cannot read the image: " + e.getMessage(), e);
    }
    if (image == null) {
      throw new IOException(file + ": not an image (PNG, JPEG, GIF, BMP or TIFF)");
    }
    return image;
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
   *       less than {@value #MIN_CONTRAST} above that background, there is no digit and the result
   *       is all zeros.
   *   <li>Crop to the box of ink above {@value #INK}, scale it so its longer side is {@value #BOX}:
   *       area averaging when shrinking, bilinear when enlarging.
   *   <li>Paste it into {@value #SIDE}×{@value #SIDE} shifted by whole pixels so its centre of mass
   *       is as near (14, 14) (column, row) as the frame allows: the box is never cut.
   * </ol>
   *
   * An MNIST sample (white on black, 20 pixels on its longer side, centred) comes back nearly as it
   * was: its brightest level is stretched to 255, ink fainter than {@value #INK} outside the box of
   * the rest is dropped, and a centre of mass half-way between pixels may move by one.
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
    float[] out = new float[SIDE * SIDE];
    if (strongest - background < MIN_CONTRAST) {
      return out;
    }
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

  /** Ink per pixel in [0, 1]: alpha × level, the level inverted for dark ink (see toMnist). */
  private static float[] ink(BufferedImage image, int w, int h) {
    float[] level = new float[w * h];
    float[] alpha = new float[w * h];
    ColorModel cm = image.getColorModel();
    if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
      // getRGB would convert these levels as linear light and brighten them; viewers show them as
      // is
      Raster r = image.getRaster();
      float max = (1 << cm.getComponentSize(0)) - 1;
      float maxAlpha = cm.hasAlpha() ? (1 << cm.getComponentSize(1)) - 1 : 1;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          level[y * w + x] = r.getSample(x, y, 0) / max;
          alpha[y * w + x] = cm.hasAlpha() ? r.getSample(x, y, 1) / maxAlpha : 1;
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
          alpha[y * w + x] = (p >>> 24) / 255f;
        }
      }
    }
    boolean invert = darkInk(level, alpha, w, h);
    for (int i = 0; i < level.length; i++) {
      level[i] = alpha[i] * (invert ? 1 - level[i] : level[i]);
    }
    return level;
  }

  /** Whether the digit is darker than its background (the polarity rule of toMnist). */
  private static boolean darkInk(float[] level, float[] alpha, int w, int h) {
    float[] ringAlpha = ring(alpha, w, h);
    float[] ringLevel = ring(level, w, h);
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
