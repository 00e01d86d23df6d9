package dev.mlp.data.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlp.core.data.Dataset;
import dev.mlp.data.idx.IdxBytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxImageSetTest {
  @TempDir Path dir;

  @Test
  void pixelsAreScaledToUnitRangeAndLabelsKept() throws IOException {
    byte[] px = {0, (byte) 255, (byte) 128, 1};
    Path img = Files.write(dir.resolve("i"), IdxBytes.idx(0x08, new int[] {1, 2, 2}, px));
    Path lab = Files.write(dir.resolve("l"), IdxBytes.labels(7));
    Dataset d = IdxImageSet.load("t", img, lab, 10);
    assertThat(d.count()).isEqualTo(1);
    assertThat(d.featureSize()).isEqualTo(4);
    assertThat(d.features()[0]).isEqualTo(0f);
    assertThat(d.features()[1]).isEqualTo(1f);
    assertThat(d.features()[2]).isCloseTo(128 / 255f, within(1e-7f));
    assertThat(d.labels()).containsExactly(7);
  }

  @Test
  void imageAndLabelCountsMustAgree() throws IOException {
    Path img = Files.write(dir.resolve("i"), IdxBytes.images(3, 2, 2, 1));
    Path lab = Files.write(dir.resolve("l"), IdxBytes.labels(1, 2));
    assertThatThrownBy(() -> IdxImageSet.load("t", img, lab, 10))
        .hasMessage(img + " holds 3 images but " + lab + " holds 2 labels");
  }

  @Test
  void labelsOutsideTheClassesAreRejected() throws IOException {
    Path img = Files.write(dir.resolve("i"), IdxBytes.images(2, 2, 2, 1));
    Path lab = Files.write(dir.resolve("l"), IdxBytes.labels(1, 12));
    assertThatThrownBy(() -> IdxImageSet.load("t", img, lab, 10))
        .hasMessage(lab + ": label 12 at index 1 is outside 0..9");
  }

  @Test
  void labelFileInPlaceOfImagesIsRejected() throws IOException {
    Path lab = Files.write(dir.resolve("l"), IdxBytes.labels(1, 2));
    assertThatThrownBy(() -> IdxImageSet.load("t", lab, lab, 10))
        .hasMessageContaining("expected unsigned-byte images [count, rows, cols]");
  }

  @Test
  void imagesWithoutPixelsAreRejected() throws IOException {
    Path img = Files.write(dir.resolve("i"), IdxBytes.idx(0x08, new int[] {2, 0, 28}, new byte[0]));
    Path lab = Files.write(dir.resolve("l"), IdxBytes.labels(1, 2));
    assertThatThrownBy(() -> IdxImageSet.load("t", img, lab, 10))
        .hasMessage(img + ": images of 0×28 pixels: an image needs 1 to 2147483647 pixels");
  }
}
