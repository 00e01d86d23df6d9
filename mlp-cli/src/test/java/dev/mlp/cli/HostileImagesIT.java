package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlp.data.idx.IdxFile;
import dev.mlp.data.idx.IdxReader;
import dev.mlp.run.Model;
import dev.mlp.run.image.BlankImageException;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlp predict} on pictures made to hurt, through the real process (issue 12, items 3 and
 * 13): a 2 KB JPEG and a 260 KB PNG whose headers claim 46000×46000 pixels, a JPEG cut short, CMYK
 * JPEGs, a blank picture. Each is one line and exit code 2, or predicted as what it shows, or said
 * to hold no digit.
 */
class HostileImagesIT {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  @TempDir static Path dir;
  private static Path checkpoint;

  /** MNIST's first test image, a 7, drawn 10 times larger in black on white paper. */
  private static BufferedImage seven;

  @BeforeAll
  static void trainOneEpoch() throws Exception {
    Path run = dir.resolve("run");
    MlpProcess.Result r = MlpProcess.trainSeed(1, "--out", run.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    checkpoint = run.resolve("checkpoints/last.safetensors");
    Path cache = MlpProcess.mnistFile("");
    IdxFile images = IdxReader.read(cache.resolve("t10k-images-idx3-ubyte"));
    IdxFile labels = IdxReader.read(cache.resolve("t10k-labels-idx1-ubyte"));
    assertThat(labels.data()[0]).isEqualTo((byte) 7);
    seven = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 300; y++) {
      for (int x = 0; x < 400; x++) {
        int sx = (x - 90) / 10;
        int sy = (y - 10) / 10;
        int v = x >= 90 && sx < 28 && y >= 10 && sy < 28 ? images.data()[sy * 28 + sx] & 0xFF : 0;
        int g = 255 - v;
        seven.setRGB(x, y, g << 16 | g << 8 | g);
      }
    }
  }

  private static MlpProcess.Result predict(String... more) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(List.of("predict", "--checkpoint", checkpoint.toString()));
    args.addAll(List.of(more));
    return MlpProcess.run(args.toArray(String[]::new));
  }

  private static String bound(Path file, int w, int h) {
    return "mlp: error: "
        + file
        + ": its header claims "
        + w
        + "×"
        + h
        + " pixels; mlp decodes at most 16384 pixels a side and 67108864 (8192×8192) in all";
  }

  @Test
  void aTwoKilobyteJpegClaiming46000By46000IsOneLineAndExitCode2() throws Exception {
    ByteArrayOutputStream small = new ByteArrayOutputStream();
    BufferedImage thumb = new BufferedImage(48, 36, BufferedImage.TYPE_INT_RGB);
    thumb.getGraphics().drawImage(seven, 0, 0, 48, 36, null);
    assertThat(ImageIO.write(thumb, "jpeg", small)).isTrue();
    byte[] jpeg = small.toByteArray();
    // the frame size in the SOF0 header: length (2), precision (1), height (2), width (2)
    int sof = sof0(jpeg);
    jpeg[sof + 5] = (byte) (46000 >> 8);
    jpeg[sof + 6] = (byte) 46000;
    jpeg[sof + 7] = (byte) (46000 >> 8);
    jpeg[sof + 8] = (byte) 46000;
    Path bomb = Files.write(dir.resolve("bomb.jpg"), jpeg);
    assertThat(Files.size(bomb)).isLessThan(2500);

    MlpProcess.Result r = predict(bomb.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.errLines()).containsExactly(bound(bomb, 46000, 46000));
    assertThat(r.out()).isEmpty();
  }

  private static int sof0(byte[] jpeg) {
    int i = 2;
    while ((jpeg[i + 1] & 0xFF) != 0xC0) {
      i += 2 + ((jpeg[i + 2] & 0xFF) << 8 | jpeg[i + 3] & 0xFF);
    }
    return i;
  }

  @Test
  void aOneBitPngClaiming46000By46000IsOneLineAndExitCode2() throws Exception {
    Path bomb = Files.write(dir.resolve("bomb.png"), blackOneBitPng(46000, 46000));
    assertThat(Files.size(bomb)).isBetween(100_000L, 400_000L);
    MlpProcess.Result r = predict(bomb.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.errLines()).containsExactly(bound(bomb, 46000, 46000));
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aJpegCutToAThirdIsOneLineAndExitCode2() throws Exception {
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    assertThat(ImageIO.write(seven, "jpeg", whole)).isTrue();
    byte[] b = whole.toByteArray();
    Path cut = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(b, b.length / 3));
    Path fine = Files.write(dir.resolve("fine.jpg"), b);
    MlpProcess.Result r = predict(fine.toString(), cut.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly(
            "mlp: error: " + cut + ": the JPEG data ends early (the file is truncated)");
    assertThat(r.out()).isEmpty(); // every input is checked before anything is printed
  }

  /**
   * The 7 as Photoshop saves CMYK (an Adobe marker, YCCK, the ink inverted) and as a plain CMYK
   * JPEG (no marker, the ink as is): each is predicted as the same 7 in RGB.
   */
  @Test
  void cmykJpegsArePredictedAsTheSamePictureInRgb() throws Exception {
    Path png = dir.resolve("seven.png");
    assertThat(ImageIO.write(seven, "png", png.toFile())).isTrue();
    Path adobe = Files.write(dir.resolve("seven-adobe-ycck.jpg"), adobeYcckJpeg(seven));
    Path plain = Files.write(dir.resolve("seven-plain-cmyk.jpg"), plainCmykJpeg(seven));
    MlpProcess.Result r =
        predict("--json", "--top", "1", png.toString(), adobe.toString(), plain.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    List<JsonNode> lines = r.jsonLines();
    assertThat(lines).hasSize(3);
    for (JsonNode l : lines) {
      assertThat(l.get("label").asInt()).as(l.get("input").asText()).isEqualTo(7);
      assertThat(l.get("top").get(0).get("probability").asDouble())
          .as(l.get("input").asText())
          .isCloseTo(
              lines.get(0).get("top").get(0).get("probability").asDouble(),
              org.assertj.core.api.Assertions.within(0.05));
    }
  }

  /**
   * A blank picture is not a digit: its line says so (label null in JSON), the other pictures are
   * predicted, and the Java API throws {@link BlankImageException} instead of a made-up class.
   */
  @Test
  void aBlankPictureIsSaidToHoldNoDigitAndTheOthersArePredicted() throws Exception {
    Path digit = dir.resolve("digit.png");
    assertThat(ImageIO.write(seven, "png", digit.toFile())).isTrue();
    BufferedImage white = new BufferedImage(200, 150, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = white.createGraphics();
    g.setColor(java.awt.Color.WHITE);
    g.fillRect(0, 0, 200, 150);
    g.dispose();
    Path blank = dir.resolve("blank.png");
    assertThat(ImageIO.write(white, "png", blank.toFile())).isTrue();

    MlpProcess.Result r = predict(digit.toString(), blank.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith(digit + ": 7  (7 ");
    assertThat(lines.get(1))
        .isEqualTo(blank + ": no digit found (nothing stands out from the background)");

    r = predict("--json", blank.toString(), digit.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    List<JsonNode> json = r.jsonLines();
    assertThat(json.get(0).toString())
        .isEqualTo(
            "{\"input\":\""
                + blank
                + "\",\"label\":null,\"top\":[],\"note\":\"no digit found (nothing stands out"
                + " from the background)\"}");
    assertThat(json.get(1).get("label").asInt()).isEqualTo(7);

    Model model = Model.load(checkpoint);
    assertThat(model.predict(seven).label()).isEqualTo(7);
    assertThatThrownBy(() -> model.predict(white)).isInstanceOf(BlankImageException.class);
    assertThatThrownBy(() -> model.prepare(white)).isInstanceOf(BlankImageException.class);
  }

  /** A valid PNG of w×h 1-bit pixels, all black, built chunk by chunk (never held in memory). */
  private static byte[] blackOneBitPng(int w, int h) {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    chunk(
        png,
        "IHDR",
        ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 1).put(new byte[4]).array());
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    byte[] row = new byte[1 + (w + 7) / 8];
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

  /** Black ink per pixel (0 none, 255 full) of the black-on-white picture. */
  private static int ink(BufferedImage img, int x, int y) {
    return 255 - (img.getRGB(x, y) & 0xFF);
  }

  /**
   * A CMYK JPEG as Photoshop saves one, written by the JDK's encoder from a picture in a CMYK
   * colour space: Adobe marker with transform 2 (YCCK), the ink stored inverted.
   */
  private static byte[] adobeYcckJpeg(BufferedImage img) throws Exception {
    ColorModel cm =
        new ComponentColorModel(
            new Cmyk(), false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
    WritableRaster r = cm.createCompatibleWritableRaster(img.getWidth(), img.getHeight());
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        r.setPixel(x, y, new int[] {0, 0, 0, ink(img, x, y)});
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(new BufferedImage(cm, r, false, null), "jpeg", out)).isTrue();
    return out.toByteArray();
  }

  /** A CMYK JPEG without an Adobe marker, the ink as is, rich black from all four inks. */
  private static byte[] plainCmykJpeg(BufferedImage img) throws Exception {
    WritableRaster r =
        Raster.createInterleavedRaster(
            DataBuffer.TYPE_BYTE, img.getWidth(), img.getHeight(), 4, null);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int k = ink(img, x, y);
        r.setPixel(x, y, new int[] {k, k, k * 9 / 10, k / 4});
      }
    }
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      w.setOutput(out);
      w.write(null, new IIOImage(r, null, null), w.getDefaultWriteParam());
    } finally {
      w.dispose();
    }
    return bytes.toByteArray();
  }

  /** A naive CMYK colour space, for writing CMYK pictures with ImageIO. */
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
      return new float[] {0, 0, 0, 1 - Math.max(rgb[0], Math.max(rgb[1], rgb[2]))};
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
