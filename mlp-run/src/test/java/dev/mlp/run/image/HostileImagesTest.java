package dev.mlp.run.image;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pictures made to hurt (issue 12, items 3 and 13): headers claiming huge sizes, files cut short,
 * CMYK JPEGs, pictures with nothing in them. Each is refused with one line naming the file, or read
 * as what it shows; never decoded into memory it does not fit, never filled in with grey, never
 * made into a digit that is not there.
 */
class HostileImagesTest {
  @TempDir Path dir;

  private Path file(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  private static String bound(int w, int h) {
    return ": its header claims "
        + w
        + "×"
        + h
        + " pixels; mlp decodes at most 16384 pixels a side and 67108864 (8192×8192) in all";
  }

  @Test
  void theBoundsAreSixteenThousandPixelsASideAndEightThousandSquared() {
    assertThat(MnistImages.MAX_SIDE).isEqualTo(16384);
    assertThat(MnistImages.MAX_PIXELS).isEqualTo(8192L * 8192);
    // a 64-megapixel phone photo (9248 × 6936) is within them, a 108-megapixel one is not
    assertThat(9248L * 6936).isLessThanOrEqualTo(MnistImages.MAX_PIXELS);
    assertThat(12000L * 9000).isGreaterThan(MnistImages.MAX_PIXELS);
  }

  @Test
  void aTwoKilobyteJpegClaiming46000By46000IsRefusedBeforeItIsDecoded() throws IOException {
    byte[] small = ImageFiles.encode(ImageFiles.seven(48, 64), "jpeg");
    Path bomb = file("bomb.jpg", ImageFiles.claiming(small, 46000, 46000));
    assertThat(Files.size(bomb)).isLessThan(2500);
    assertThatThrownBy(() -> MnistImages.read(bomb))
        .isInstanceOf(IOException.class) // the CLI's ErrorHandler: bad input, exit code 2
        .hasMessage(bomb + bound(46000, 46000));
  }

  @Test
  void aOneBitPngClaiming46000By46000IsRefusedBeforeItIsDecoded() throws IOException {
    Path bomb = file("bomb.png", ImageFiles.blackOneBitPng(46000, 46000));
    assertThat(Files.size(bomb)).isBetween(100_000L, 400_000L);
    assertThatThrownBy(() -> MnistImages.read(bomb))
        .isInstanceOf(IOException.class)
        .hasMessage(bomb + bound(46000, 46000));
  }

  @Test
  void eachBoundIsCheckedAndAPictureJustWithinThemIsRead() throws IOException {
    Path wide = file("wide.png", ImageFiles.blackOneBitPng(16385, 1));
    assertThatThrownBy(() -> MnistImages.read(wide)).hasMessage(wide + bound(16385, 1));
    Path big = file("big.png", ImageFiles.blackOneBitPng(8193, 8193));
    assertThatThrownBy(() -> MnistImages.read(big)).hasMessage(big + bound(8193, 8193));
    Path twenty = file("twenty.png", ImageFiles.blackOneBitPng(20000, 20000));
    assertThatThrownBy(() -> MnistImages.read(twenty)).hasMessage(twenty + bound(20000, 20000));

    BufferedImage longest =
        MnistImages.read(file("longest.png", ImageFiles.blackOneBitPng(16384, 4096)));
    assertThat(longest.getWidth()).isEqualTo(16384);
    assertThat(longest.getHeight()).isEqualTo(4096);
    BufferedImage square =
        MnistImages.read(file("square.png", ImageFiles.blackOneBitPng(8192, 8192)));
    assertThat(square.getWidth()).isEqualTo(8192);
  }

  @Test
  void aJpegCutToAThirdIsRefusedWhereImageIoFillsItWithGrey() throws IOException {
    byte[] whole = ImageFiles.encode(ImageFiles.seven(240, 320), "jpeg");
    byte[] third = Arrays.copyOf(whole, whole.length / 3);
    // the hazard: ImageIO decodes what is there and paints the rest mid-grey, without an error
    BufferedImage grey = ImageIO.read(new ByteArrayInputStream(third));
    assertThat(grey).isNotNull();
    for (int x = 0; x < 240; x += 7) {
      assertThat(grey.getRGB(x, 319) & 0xFFFFFF).isEqualTo(0x808080);
    }
    Path cut = file("seven.jpg", third);
    assertThatThrownBy(() -> MnistImages.read(cut))
        .isInstanceOf(IOException.class)
        .hasMessage(cut + ": the JPEG data ends early (the file is truncated)");
  }

  @Test
  void aJpegDamagedInTheMiddleIsRefused() throws IOException {
    byte[] b = ImageFiles.encode(ImageFiles.seven(240, 320), "jpeg");
    int middle = b.length * 2 / 3;
    Arrays.fill(b, middle, middle + 40, (byte) 0); // 40 bytes of the image data lost
    assertThat(ImageIO.read(new ByteArrayInputStream(b))).isNotNull(); // ImageIO: no error
    Path damaged = file("damaged.jpg", b);
    assertThatThrownBy(() -> MnistImages.read(damaged))
        .isInstanceOf(IOException.class)
        .hasMessage(
            damaged
                + ": the JPEG data is damaged: Corrupt JPEG data: premature end of data segment");
  }

  @Test
  void aPngCutShortIsRefusedAsTruncated() throws IOException {
    byte[] whole = ImageFiles.encode(ImageFiles.seven(240, 320), "png");
    Path cut = file("seven.png", Arrays.copyOf(whole, whole.length / 2));
    assertThatThrownBy(() -> MnistImages.read(cut))
        .isInstanceOf(IOException.class)
        .hasMessage(cut + ": the PNG data ends early (the file is truncated)");
    // without its closing IEND chunk too, though ImageIO reads it
    Path noEnd = file("no-end.png", Arrays.copyOf(whole, whole.length - 12));
    assertThat(ImageIO.read(noEnd.toFile())).isNotNull();
    assertThatThrownBy(() -> MnistImages.read(noEnd))
        .hasMessage(noEnd + ": the PNG data ends early (the file is truncated)");
  }

  /**
   * Cut anywhere, a JPEG (baseline or progressive), PNG, GIF or BMP is refused, in one line. (A
   * GIF's last byte, its trailer, follows the picture and carries nothing: without it the GIF is
   * whole.)
   */
  @Test
  void everyCutOfAPictureIsRefused() throws IOException {
    BufferedImage seven = ImageFiles.seven(60, 80);
    BufferedImage wide = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB); // mostly paper
    wide.getGraphics().drawImage(ImageFiles.seven(60, 80), 170, 110, null);
    BufferedImage indexed = new BufferedImage(60, 80, BufferedImage.TYPE_BYTE_INDEXED);
    indexed.getGraphics().drawImage(seven, 0, 0, null);
    byte[][] pictures = {
      ImageFiles.encode(seven, "jpeg"),
      ImageFiles.encode(wide, "jpeg"),
      ImageFiles.progressiveJpeg(seven),
      ImageFiles.encode(seven, "png"),
      ImageFiles.encode(indexed, "gif"),
      ImageFiles.encode(seven, "bmp"),
    };
    for (byte[] whole : pictures) {
      assertThat(MnistImages.read(file("whole", whole))).isNotNull();
      int step = Math.max(1, whole.length / 150);
      int end = whole[0] == 'G' ? whole.length - 1 : whole.length;
      for (int n = 1; n < end; n += step) {
        Path cut = file("cut", Arrays.copyOf(whole, n));
        Throwable refusal = catchThrowable(() -> MnistImages.read(cut));
        assertThat(refusal)
            .as("%d of %d bytes of %s", n, whole.length, new String(whole, 1, 3, US_ASCII))
            .isInstanceOf(IOException.class);
        assertThat(refusal.getMessage()).startsWith(cut + ": ").doesNotContain("\n");
        if (whole[0] == (byte) 0xFF && n > firstScan(whole)) { // a JPEG cut in its image data
          assertThat(refusal)
              .as("%d of %d bytes", n, whole.length)
              .hasMessage(cut + ": the JPEG data ends early (the file is truncated)");
        }
      }
    }
  }

  /** Where a JPEG's first scan (its image data) starts: after the SOS header. */
  private static int firstScan(byte[] jpeg) {
    int i = 2;
    while ((jpeg[i + 1] & 0xFF) != 0xDA) {
      i += 2 + ((jpeg[i + 2] & 0xFF) << 8 | jpeg[i + 3] & 0xFF);
    }
    return i + 2 + ((jpeg[i + 2] & 0xFF) << 8 | jpeg[i + 3] & 0xFF);
  }

  /**
   * CMYK JPEGs, Photoshop's (an Adobe marker, YCCK, the ink inverted) and a plain one (no marker,
   * the ink as is), black ink or rich black from cyan, magenta and yellow: each is read as the
   * black-on-white picture it is, and prepared like the same picture in RGB. In black ink alone,
   * exactly like the RGB JPEG of the picture: the same grey levels, compressed alike.
   */
  @Test
  void cmykJpegsAreReadAsTheInkTheyHold() throws IOException {
    BufferedImage seven = ImageFiles.seven(240, 320);
    float[] exact = MnistImages.toMnist(seven);
    float[] rgbJpeg =
        MnistImages.toMnist(MnistImages.read(file("rgb.jpg", ImageFiles.encode(seven, "jpeg"))));
    assertThat(meanDiff(rgbJpeg, exact)).isBetween(0.01, 0.03); // compression noise
    for (boolean rich : new boolean[] {false, true}) {
      for (boolean adobe : new boolean[] {false, true}) {
        String name = (adobe ? "adobe-ycck" : "plain-cmyk") + (rich ? "-rich" : "-black") + ".jpg";
        Path f =
            file(
                name,
                adobe
                    ? ImageFiles.adobeYcckJpeg(seven, rich)
                    : ImageFiles.plainCmykJpeg(seven, rich));
        BufferedImage read = MnistImages.read(f);
        // paper white, ink near black; not all black
        assertThat(grey(read, 5, 5)).as(name + " paper").isGreaterThan(240);
        assertThat(grey(read, 120, 60)).as(name + " ink").isLessThan(60);
        float[] px = MnistImages.toMnist(read);
        assertThat(meanDiff(px, exact)).as(name).isLessThan(0.03);
        if (!rich) {
          assertThat(meanDiff(px, rgbJpeg)).as(name).isLessThan(1e-4);
        }
      }
    }
  }

  private static double meanDiff(float[] a, float[] b) {
    double mean = 0;
    for (int i = 0; i < a.length; i++) {
      mean += Math.abs(a[i] - b[i]) / a.length;
    }
    return mean;
  }

  private static int grey(BufferedImage img, int x, int y) {
    int p = img.getRGB(x, y);
    return ((p >> 16 & 0xFF) + (p >> 8 & 0xFF) + (p & 0xFF)) / 3;
  }

  /** White, black, grey, faint noise, fully transparent: no digit, no product, no zeros either. */
  @Test
  void aPictureWithNothingInItIsBlankNotADigit() {
    for (Color c : new Color[] {Color.WHITE, Color.BLACK, Color.GRAY}) {
      BufferedImage img = new BufferedImage(50, 40, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = img.createGraphics();
      g.setColor(c);
      g.fillRect(0, 0, 50, 40);
      g.dispose();
      assertBlank(img);
    }
    BufferedImage paper = new BufferedImage(50, 40, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 50; x++) {
        int v = 250 + (x * 7 + y * 3) % 6; // up to 5 of 255 levels of noise
        paper.setRGB(x, y, v << 16 | v << 8 | v);
      }
    }
    assertBlank(paper);
    assertBlank(new BufferedImage(9, 9, BufferedImage.TYPE_INT_ARGB));
    assertBlank(new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY));
  }

  private static void assertBlank(BufferedImage img) {
    assertThatThrownBy(() -> MnistImages.toMnist(img))
        .isInstanceOf(BlankImageException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nothing stands out from the background: a blank or uniform picture");
    assertThatThrownBy(() -> MnistImages.toFashionMnist(img))
        .isInstanceOf(BlankImageException.class);
  }
}
