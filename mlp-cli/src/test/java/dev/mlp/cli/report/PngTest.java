package dev.mlp.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The report's own PNG encoder, read back by the JDK's PNG decoder. */
class PngTest {
  @Test
  void everyPixelReadsBackAsDrawn() throws IOException {
    // odd sizes, every channel's full range, and flat runs next to noise
    for (int[] size : new int[][] {{1, 1}, {7, 3}, {131, 67}}) {
      BufferedImage image = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
      SplittableRandom random = new SplittableRandom(size[0]);
      for (int y = 0; y < size[1]; y++) {
        for (int x = 0; x < size[0]; x++) {
          image.setRGB(x, y, x < size[0] / 3 ? 0xffffff : random.nextInt(1 << 24));
        }
      }
      Graphics2D g = image.createGraphics();
      g.setColor(new Color(31, 119, 180));
      g.drawLine(0, 0, size[0], size[1]);
      g.dispose();

      BufferedImage read = ImageIO.read(new ByteArrayInputStream(Png.encode(image)));

      assertThat(read.getWidth()).isEqualTo(size[0]);
      assertThat(read.getHeight()).isEqualTo(size[1]);
      for (int y = 0; y < size[1]; y++) {
        for (int x = 0; x < size[0]; x++) {
          int want = image.getRGB(x, y);
          int got = read.getRGB(x, y);
          assertThat(got).as("pixel (%d, %d)", x, y).isEqualTo(want);
        }
      }
    }
  }

  @Test
  void aChartCompressesLikeAChart() throws IOException {
    // a white 900x500 picture with a line is a few kilobytes, not the 1.3 MB of its pixels
    BufferedImage image = new BufferedImage(900, 500, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 900, 500);
    g.setColor(Color.BLUE);
    g.drawLine(10, 490, 890, 10);
    g.dispose();
    assertThat(Png.encode(image).length).isLessThan(20_000);
  }

  @Test
  void refusesWhatItCannotWrite() {
    BufferedImage gray = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
    assertThatThrownBy(() -> Png.encode(gray)).isInstanceOf(IllegalArgumentException.class);
    BufferedImage part =
        new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB).getSubimage(2, 2, 4, 4);
    assertThatThrownBy(() -> Png.encode(part))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whole image");
  }
}
