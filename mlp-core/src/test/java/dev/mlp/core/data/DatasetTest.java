package dev.mlp.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatasetTest {
  @Test
  void oneFeatureAndOneClassAreEnough() {
    Dataset d = new Dataset("tiny", new float[] {1, 2}, new int[] {0, 0}, 1, 1);
    assertThat(d.count()).isEqualTo(2);
  }

  @Test
  void shapesAndLabelsAreCheckedWithTheDataSetsName() {
    assertThatThrownBy(() -> new Dataset("d", new float[0], new int[0], 0, 2))
        .hasMessage("d: featureSize and numClasses must be positive, got 0, 2");
    assertThatThrownBy(() -> new Dataset("d", new float[0], new int[0], 2, 0))
        .hasMessage("d: featureSize and numClasses must be positive, got 2, 0");
    assertThatThrownBy(() -> new Dataset("d", new float[5], new int[2], 3, 2))
        .hasMessage("d: 2 labels need 6 feature values, got 5");
    assertThatThrownBy(() -> new Dataset("d", new float[4], new int[] {0, 2}, 2, 2))
        .hasMessage("d: label 2 at sample 1 is outside [0, 2)");
    assertThatThrownBy(() -> new Dataset("d", new float[4], new int[] {-1, 0}, 2, 2))
        .hasMessage("d: label -1 at sample 0 is outside [0, 2)");
  }

  @Test
  void trainAndTestSplitsMustAgreeOnTheShape() {
    Dataset train = new Dataset("train", new float[6], new int[3], 2, 4);
    DataSplits s = new DataSplits(train, new Dataset("test", new float[2], new int[1], 2, 4), "x");
    assertThat(s.featureSize()).isEqualTo(2);
    assertThat(s.numClasses()).isEqualTo(4);
    assertThatThrownBy(
            () -> new DataSplits(train, new Dataset("test", new float[3], new int[1], 3, 4), "x"))
        .hasMessage("train and test splits disagree on feature size or class count");
    assertThatThrownBy(
            () -> new DataSplits(train, new Dataset("test", new float[2], new int[1], 2, 5), "x"))
        .hasMessage("train and test splits disagree on feature size or class count");
  }

  @Test
  void aDataSetOfBytesReadsAsTheFloatsEachByteOverTheDivisorStandsFor() {
    byte[] pixels = new byte[3 * 5];
    new java.util.Random(3).nextBytes(pixels);
    pixels[4] = (byte) 255;
    Dataset bytes = Dataset.unsignedBytes("b", pixels, 255f, new int[] {0, 1, 1}, 5, 2);
    float[] expected = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      expected[i] = (pixels[i] & 0xFF) / 255f;
    }
    assertThat(bytes.byteFeatures()).isTrue();
    assertThat(bytes.count()).isEqualTo(3);
    assertThat(bytes.features()).isEqualTo(expected);
    assertThat(bytes.features()).isSameAs(bytes.features()); // converted once
    int[] order = {2, 0, 2};
    float[] want = new float[15];
    System.arraycopy(expected, 0, want, 0, 5);
    System.arraycopy(expected, 10, want, 5, 5);
    float[] gathered = new float[15];
    bytes.gatherRows(dev.mlp.core.tensor.Kernels.defaults(), order, 1, 2, gathered);
    assertThat(gathered).isEqualTo(want);
    assertThat(bytes.toString()).isEqualTo("Dataset[b, 3 rows of 5 unsigned bytes, 2 classes]");
  }

  @Test
  void aDataSetOfBytesIsCheckedLikeOneOfFloats() {
    assertThatThrownBy(() -> Dataset.unsignedBytes("d", new byte[5], 255f, new int[2], 3, 2))
        .hasMessage("d: 2 labels need 6 feature values, got 5");
    assertThatThrownBy(() -> Dataset.unsignedBytes("d", new byte[4], 255f, new int[] {0, 2}, 2, 2))
        .hasMessage("d: label 2 at sample 1 is outside [0, 2)");
    for (float bad : new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY, 1e-40f}) {
      assertThatThrownBy(() -> Dataset.unsignedBytes("d", new byte[2], bad, new int[1], 2, 2))
          .hasMessage(
              "d: the divisor must be positive, finite and leave 255 / divisor finite, got " + bad);
    }
  }
}
