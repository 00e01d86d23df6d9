package dev.mlp.run.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistImagesTest {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private static final int S = MnistImages.SIDE;
  private static final Color CLEAR = new Color(0, 0, 0, 0);

  /**
   * A "9" (a ring on a stem: its centre of mass is above the middle of its box) drawn with a thick
   * anti-aliased stroke, its box about 80 × 190 pixels, off-centre on a 200 × 300 canvas.
   */
  private static BufferedImage nine(int type, Color background, Color ink) {
    BufferedImage img = new BufferedImage(200, 300, type);
    Graphics2D g = img.createGraphics();
    g.setComposite(AlphaComposite.Src); // a transparent background stays transparent
    g.setColor(background);
    g.fillRect(0, 0, 200, 300);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(ink);
    g.setStroke(new BasicStroke(16, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.drawOval(30, 60, 64, 70);
    g.drawLine(94, 95, 90, 235);
    g.dispose();
    return img;
  }

  /** Column and row of the centre of mass, in pixel indices. */
  private static double[] centreOfMass(float[] px) {
    double m = 0;
    double x = 0;
    double y = 0;
    for (int i = 0; i < px.length; i++) {
      m += px[i];
      x += px[i] * (i % S);
      y += px[i] * (i / S);
    }
    return new double[] {x / m, y / m};
  }

  /** {left, top, right, bottom} of the nonzero pixels. */
  private static int[] box(float[] px) {
    int[] b = {S, S, -1, -1};
    for (int i = 0; i < px.length; i++) {
      if (px[i] > 0) {
        b[0] = Math.min(b[0], i % S);
        b[1] = Math.min(b[1], i / S);
        b[2] = Math.max(b[2], i % S);
        b[3] = Math.max(b[3], i / S);
      }
    }
    return b;
  }

  private static double maxDiff(float[] a, float[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }

  @Test
  void aLargeDarkOnLightDigitBecomesACentredWhiteOnBlackMnistDigit() {
    float[] px = MnistImages.toMnist(nine(BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK));
    assertThat(px).hasSize(784);
    int[] b = box(px);
    int width = b[2] - b[0] + 1;
    int height = b[3] - b[1] + 1;
    assertThat(height).isEqualTo(20); // the longer side
    assertThat(width).isBetween(8, 10); // about 80/190 of 20: the aspect ratio is kept
    double[] com = centreOfMass(px);
    assertThat(com[0]).isCloseTo(14, within(1.0));
    assertThat(com[1]).isCloseTo(14, within(1.0));
    // the box is not centred, the mass is: the ring of the 9 is heavier than its stem
    assertThat((b[1] + b[3]) / 2.0).isGreaterThan(14.5);
    // white ink on black: the strokes are 1, the background and the ring's hole 0
    assertThat(px[0]).isZero();
    float max = 0;
    double sum = 0;
    for (float v : px) {
      max = Math.max(max, v);
      sum += v;
      assertThat(v).isBetween(0f, 1f);
      assertThat(v * 255).isCloseTo(Math.round(v * 255), within(1e-3f)); // steps of 1/255
    }
    assertThat(max).isEqualTo(1f);
    assertThat(sum / px.length).isLessThan(0.3);
    int holeRow = b[1] + 5; // the hole of the ring, 25 % down the box, in the ring's middle
    int holeCol = b[0] + width * 4 / 10;
    assertThat(px[holeRow * S + holeCol]).isLessThan(0.2f);
  }

  @Test
  void transparentAndColouredBackgroundsGiveTheSameDigit() {
    float[] reference =
        MnistImages.toMnist(nine(BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK));
    float[] blackOnClear =
        MnistImages.toMnist(nine(BufferedImage.TYPE_INT_ARGB, CLEAR, Color.BLACK));
    float[] whiteOnClear =
        MnistImages.toMnist(nine(BufferedImage.TYPE_INT_ARGB, CLEAR, Color.WHITE));
    float[] blueOnYellow =
        MnistImages.toMnist(nine(BufferedImage.TYPE_INT_RGB, Color.YELLOW, Color.BLUE));
    float[] whiteOnBlack =
        MnistImages.toMnist(nine(BufferedImage.TYPE_INT_RGB, Color.BLACK, Color.WHITE));
    assertThat(maxDiff(blackOnClear, reference)).isLessThanOrEqualTo(2 / 255.0);
    assertThat(maxDiff(whiteOnClear, reference)).isLessThanOrEqualTo(2 / 255.0);
    assertThat(maxDiff(blueOnYellow, reference)).isLessThanOrEqualTo(2 / 255.0);
    assertThat(maxDiff(whiteOnBlack, reference)).isLessThanOrEqualTo(2 / 255.0);
  }

  @Test
  void greyLevelsOfAGreyImageAreReadAsTheyAreStored() {
    // light ink (230) on dark grey (100): not inverted; stretched to a black background, white ink
    BufferedImage white = nine(BufferedImage.TYPE_INT_RGB, Color.BLACK, Color.WHITE);
    BufferedImage grey = new BufferedImage(200, 300, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 300; y++) {
      for (int x = 0; x < 200; x++) {
        int coverage = white.getRGB(x, y) & 0xFF;
        grey.getRaster().setSample(x, y, 0, 100 + Math.round(coverage * 130 / 255f));
      }
    }
    assertThat(maxDiff(MnistImages.toMnist(grey), MnistImages.toMnist(white)))
        .isLessThanOrEqualTo(2 / 255.0);
  }

  /**
   * A digit as the MNIST files hold it: a slanted stroke with a foot, 20 rows tall, anti-aliased,
   * steps of 1/255 with the brightest 255, no ink fainter than 0.05 (the box's threshold), and
   * placed with its centre of mass nearest (14, 14).
   */
  private static float[] mnistLike() {
    float[] px = new float[S * S];
    for (int r = 0; r < S; r++) {
      for (int c = 0; c < S; c++) {
        // distance to the stroke from (row 5, col 17) to (row 22, col 12), and to the foot
        double t = Math.max(0, Math.min(1, (r - 5) / 17.0));
        double stroke = Math.hypot(r - (5 + 17 * t), c - (17 - 5 * t));
        double foot = r >= 19 && r <= 22 && c >= 11 && c <= 13 ? 0 : 9;
        double v = Math.max(0, Math.min(1, 1.6 - Math.min(stroke, foot)));
        int level = (int) Math.round(v * 255);
        px[r * S + c] = level < 13 ? 0 : level / 255f;
      }
    }
    return px;
  }

  private static BufferedImage grey(float[] px) {
    BufferedImage img = new BufferedImage(S, S, BufferedImage.TYPE_BYTE_GRAY);
    for (int i = 0; i < px.length; i++) {
      img.getRaster().setSample(i % S, i / S, 0, Math.round(px[i] * 255));
    }
    return img;
  }

  @Test
  void anMnistDigitComesBackAsItWas() {
    float[] digit = mnistLike();
    int[] b = box(digit);
    assertThat(Math.max(b[2] - b[0], b[3] - b[1]) + 1).isEqualTo(20); // the test's own premises
    double[] com = centreOfMass(digit);
    assertThat(com[0]).isCloseTo(14, within(0.3));
    assertThat(com[1]).isCloseTo(14, within(0.3));
    assertThat(MnistImages.toMnist(grey(digit))).containsExactly(digit, within(1e-6f));
  }

  @Test
  void preparingTwiceChangesAlmostNothing() {
    float[] once = MnistImages.toMnist(nine(BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK));
    float[] twice = MnistImages.toMnist(grey(once));
    // only ink fainter than the box threshold (0.05) at the box's edge may be lost
    assertThat(maxDiff(once, twice)).isLessThan(0.05);
  }

  @Test
  void aSmallDigitIsEnlargedToTwentyPixels() {
    BufferedImage img = new BufferedImage(100, 80, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 100, 80);
    g.setColor(Color.BLACK);
    g.fillRect(70, 10, 2, 8); // an "L" 5 wide, 8 tall, near a corner
    g.fillRect(70, 16, 5, 2);
    g.dispose();
    float[] px = MnistImages.toMnist(img);
    int[] b = box(px);
    assertThat(b[3] - b[1] + 1).isEqualTo(20);
    assertThat(b[2] - b[0] + 1).isBetween(12, 13); // 5 × 20/8 = 12.5
    double[] com = centreOfMass(px);
    assertThat(com[0]).isCloseTo(14, within(1.0));
    assertThat(com[1]).isCloseTo(14, within(1.0));
  }

  @Test
  void shrinkingAveragesTheAreaInsteadOfSamplingIt() {
    // a 200 × 200 square of one-pixel black and white stripes: mid-grey once shrunk 10 times;
    // sampling every tenth row instead would see one colour only
    BufferedImage img = new BufferedImage(240, 240, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 240, 240);
    g.setColor(Color.BLACK);
    for (int y = 20; y < 220; y += 2) {
      g.fillRect(20, y, 200, 1);
    }
    g.dispose();
    float[] px = MnistImages.toMnist(img);
    int[] b = box(px);
    assertThat(b[2] - b[0] + 1).isEqualTo(20);
    assertThat(b[3] - b[1] + 1).isEqualTo(20);
    for (int y = b[1]; y <= b[3]; y++) {
      for (int x = b[0]; x <= b[2]; x++) {
        assertThat(px[y * S + x]).as("(%d, %d)", x, y).isCloseTo(0.5f, within(0.01f));
      }
    }
  }

  @Test
  void theBoxStaysInTheFrameWhenItsMassIsFarOffCentre() {
    // a "T" with a heavy bar: centred by mass, its stem would leave the frame at the bottom
    BufferedImage img = new BufferedImage(300, 300, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 300, 300);
    g.setColor(Color.BLACK);
    g.fillRect(50, 50, 200, 60);
    g.fillRect(140, 110, 20, 140);
    g.dispose();
    float[] px = MnistImages.toMnist(img);
    int[] b = box(px);
    assertThat(b[3]).isEqualTo(S - 1); // the stem's end on the last row: shifted as far as it goes
    assertThat(b[1]).isEqualTo(S - 20);
    assertThat(centreOfMass(px)[1]).isLessThan(13);
    assertThat(centreOfMass(px)[0]).isCloseTo(14, within(1.0));
  }

  @Test
  void readsPngAndJpeg(@TempDir Path dir) throws IOException {
    BufferedImage rgb = nine(BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK);
    float[] expected = MnistImages.toMnist(rgb);
    Path png = dir.resolve("nine.png");
    Path jpeg = dir.resolve("nine.jpg");
    Path greyPng = dir.resolve("grey.png");
    assertThat(ImageIO.write(rgb, "png", png.toFile())).isTrue();
    assertThat(ImageIO.write(rgb, "jpeg", jpeg.toFile())).isTrue();
    BufferedImage grey = new BufferedImage(200, 300, BufferedImage.TYPE_BYTE_GRAY);
    grey.getGraphics().drawImage(rgb, 0, 0, null);
    assertThat(ImageIO.write(grey, "png", greyPng.toFile())).isTrue();

    assertThat(MnistImages.toMnist(MnistImages.read(png))).containsExactly(expected);
    assertThat(maxDiff(MnistImages.toMnist(MnistImages.read(greyPng)), expected))
        .isLessThanOrEqualTo(2 / 255.0);
    float[] fromJpeg = MnistImages.toMnist(MnistImages.read(jpeg));
    double mean = 0;
    for (int i = 0; i < expected.length; i++) {
      mean += Math.abs(fromJpeg[i] - expected[i]) / expected.length;
    }
    assertThat(mean).isLessThan(0.01); // compression noise only
    assertThat(Arrays.equals(box(fromJpeg), box(expected))).isTrue();
  }

  @Test
  void aFileThatIsNoImageIsOneLineNamingIt(@TempDir Path dir) throws IOException {
    Path text = dir.resolve("digit.png");
    Files.writeString(text, "not a picture\n");
    assertThatThrownBy(() -> MnistImages.read(text))
        .isInstanceOf(IOException.class) // the CLI's ErrorHandler: bad input, exit code 2
        .hasMessage(text + ": not an image (PNG, JPEG, GIF, BMP or TIFF)");

    Path missing = dir.resolve("missing.png");
    assertThatThrownBy(() -> MnistImages.read(missing))
        .isInstanceOf(IOException.class)
        .hasMessage(missing + ": no such file");

    assertThatThrownBy(() -> MnistImages.read(dir))
        .isInstanceOf(IOException.class)
        .hasMessage(dir + ": not a file");

    Path damaged = dir.resolve("damaged.png");
    BufferedImage rgb = nine(BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK);
    ImageIO.write(rgb, "png", damaged.toFile());
    byte[] bytes = Files.readAllBytes(damaged);
    Arrays.fill(bytes, bytes.length / 3, bytes.length / 2, (byte) 0xFF); // the image data garbled
    Files.write(damaged, bytes);
    assertThatThrownBy(() -> MnistImages.read(damaged))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(damaged + ": cannot read the image: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));

    Path cut = dir.resolve("cut.png");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> MnistImages.read(cut))
        .isInstanceOf(IOException.class)
        .hasMessage(cut + ": the PNG data ends early (the file is truncated)");
  }

  /**
   * Real Fashion-MNIST test images (Debian's dataset-fashion-mnist, which .ci/run installs), drawn
   * ten times larger, dark on a light ground, off-centre on a larger canvas: prepared as
   * Fashion-MNIST, each comes back close to the original 28×28 image.
   */
  @Test
  void aLargeDarkOnLightFashionPictureBecomesItsFashionMnistImage() throws IOException {
    Path file = Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.exists(file), "needs Debian's dataset-fashion-mnist (.ci/run installs it)");
    byte[] idx;
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
      idx = in.readNBytes(16 + 20 * S * S);
    }
    double worstMean = 0;
    int close = 0;
    for (int n = 0; n < 20; n++) {
      float[] original = new float[S * S];
      for (int i = 0; i < original.length; i++) {
        original[i] = (idx[16 + n * S * S + i] & 0xFF) / 255f;
      }
      BufferedImage big = new BufferedImage(400, 360, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 360; y++) {
        for (int x = 0; x < 400; x++) {
          int sx = (x - 90) / 10;
          int sy = (y - 50) / 10;
          boolean inside = x >= 90 && y >= 50 && sx < S && sy < S;
          int level = 255 - (inside ? Math.round(original[sy * S + sx] * 255) : 0);
          big.setRGB(x, y, level << 16 | level << 8 | level);
        }
      }
      float[] prepared = MnistImages.toFashionMnist(big);
      double mean = 0;
      for (int i = 0; i < S * S; i++) {
        mean += Math.abs(prepared[i] - original[i]);
      }
      worstMean = Math.max(worstMean, mean / (S * S));
      close += mean / (S * S) < 0.01 ? 1 : 0;
    }
    // the product's box is found again and scaled back to 28 with its shades kept: exactly, for
    // the products whose longer side is 28 in Fashion-MNIST; the few of 27 (one here) are
    // stretched by a pixel
    assertThat(close).isGreaterThanOrEqualTo(18);
    assertThat(worstMean).isLessThan(0.2);
  }
}
