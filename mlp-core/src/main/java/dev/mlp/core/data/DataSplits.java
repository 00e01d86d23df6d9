package dev.mlp.core.data;

import java.util.ArrayList;
import java.util.List;

/**
 * What a dataset module provides: the samples to train on and the held-out samples to test on, a
 * checksum of what they were made from, the names of the classes (for a classifier), and the
 * preprocessing that turned the source's rows into features, as JSON that the data set's module can
 * apply to new rows (null when the features need none, as for MNIST).
 */
public record DataSplits(
    Dataset train, Dataset test, String checksum, List<String> classes, String preprocessing) {

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
    if (classes == null) {
      List<String> numbers = new ArrayList<>();
      for (int c = 0; train.classification() && c < train.numClasses(); c++) {
        numbers.add(String.valueOf(c));
      }
      classes = numbers;
    }
    classes = List.copyOf(classes);
    if (train.classification() && classes.size() != train.numClasses()) {
      throw new IllegalArgumentException(
          classes.size() + " class names for " + train.numClasses() + " classes");
    }
  }

  /** Classes named by their numbers, no preprocessing (MNIST's digits). */
  public DataSplits(Dataset train, Dataset test, String checksum) {
    this(train, test, checksum, null, null);
  }

  public int featureSize() {
    return train.featureSize();
  }

  public int numClasses() {
    return train.numClasses();
  }
}
