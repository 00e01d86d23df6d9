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
}
