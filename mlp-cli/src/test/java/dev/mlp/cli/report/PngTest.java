package dev.mlp.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The report's own PNG encoder: its chunks checked byte by byte (the JDK's decoder skips CRCs,
 * browsers do not), and every pixel read back by the JDK's PNG decoder.
 */
class PngTest {
  @Test
  void everyPixelReadsBackAsDrawn() throws IOException {
    // odd sizes, every channel's full range, and flat runs next to noise
    for (int[] size : new int[][] {{1, 1}, {7, 3}, {131, 67}}) {
      BufferedImage image = picture(size[0], size[1]);
      assertSamePixels(ImageIO.read(new ByteArrayInputStream(Png.encode(image))), image);
    }
  }

  @Test
  void aPartOfALargerImageIsWrittenAsThatPart() throws IOException {
    BufferedImage whole = picture(40, 30);
    BufferedImage part = whole.getSubimage(5, 7, 20, 11);
    assertSamePixels(ImageIO.read(new ByteArrayInputStream(Png.encode(part))), part);
  }

  @Test
  void theChunksAreWhatThePngSpecificationSays() throws DataFormatException {
    BufferedImage image = picture(13, 5);
    byte[] png = Png.encode(image);
    assertThat(Arrays.copyOf(png, 8))
        .isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteBuffer in = ByteBuffer.wrap(png, 8, png.length - 8);
    List<String> types = new ArrayList<>();
    byte[] ihdr = null;
    byte[] idat = null;
    while (in.hasRemaining()) {
      int length = in.getInt();
      byte[] typeAndData = new byte[4 + length];
      in.get(typeAndData);
      CRC32 crc = new CRC32();
      crc.update(typeAndData);
      String type = new String(typeAndData, 0, 4, StandardCharsets.US_ASCII);
      assertThat(in.getInt()).as("CRC of " + type).isEqualTo((int) crc.getValue());
      types.add(type);
      byte[] data = Arrays.copyOfRange(typeAndData, 4, typeAndData.length);
      if (type.equals("IHDR")) {
        ihdr = data;
      } else if (type.equals("IDAT")) {
        idat = data;
      }
    }
    assertThat(types).containsExactly("IHDR", "IDAT", "IEND");
    // 13 wide, 5 high, 8 bits, RGB, deflate, adaptive filtering, not interlaced
    assertThat(HexFormat.of().formatHex(ihdr)).isEqualTo("0000000d000000050802000000");
    assertThat(HexFormat.of().formatHex(Arrays.copyOfRange(png, png.length - 12, png.length)))
        .isEqualTo("0000000049454e44ae426082");
    // one zlib stream, checksum included, of 5 rows of 1 + 3·13 bytes, each filtered with Sub
    Inflater inflater = new Inflater();
    inflater.setInput(idat);
    byte[] raw = new byte[5 * 40 + 1];
    int got = inflater.inflate(raw);
    assertThat(inflater.finished()).isTrue();
    assertThat(inflater.getRemaining()).isZero();
    inflater.end();
    assertThat(got).isEqualTo(5 * 40);
    for (int y = 0; y < 5; y++) {
      assertThat(raw[y * 40]).as("row %d's filter", y).isEqualTo((byte) 1);
    }
  }

  @Test
  void aChartCompressesLikeAChart() {
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
    assertThatThrownBy(() -> Png.encode(gray))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TYPE_INT_RGB");
  }

  /** Noise right of a white third, and a line across. */
  private static BufferedImage picture(int w, int h) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    SplittableRandom random = new SplittableRandom(w);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, x < w / 3 ? 0xffffff : random.nextInt(1 << 24));
      }
    }
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(31, 119, 180));
    g.drawLine(0, 0, w, h);
    g.dispose();
    return image;
  }

  private static void assertSamePixels(BufferedImage read, BufferedImage want) {
    assertThat(read.getWidth()).isEqualTo(want.getWidth());
    assertThat(read.getHeight()).isEqualTo(want.getHeight());
    for (int y = 0; y < want.getHeight(); y++) {
      for (int x = 0; x < want.getWidth(); x++) {
        assertThat(read.getRGB(x, y)).as("pixel (%d, %d)", x, y).isEqualTo(want.getRGB(x, y));
      }
    }
  }
}
