package dev.mlp.core.data;

/** What a dataset module provides: the samples to train on and the held-out samples to test on. */
public record DataSplits(Dataset train, Dataset test, String checksum) {

  public DataSplits {
    if (train.featureSize() != test.featureSize() || train.numClasses() != test.numClasses()) {
      throw new IllegalArgumentException(
          "train and test splits disagree on feature size or class count");
    }
    if (train.classification() != test.classification()) {
      throw new IllegalArgumentException(
          "train and test splits disagree on their targets: class labels in one, values in the"
              + " other");
    }
  }

  public int featureSize() {
    return train.featureSize();
  }

  public int numClasses() {
    return train.numClasses();
  }
}
