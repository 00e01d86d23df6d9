package dev.mlp.core.data;

/**
 * Samples in memory: {@code count} rows of {@code featureSize} floats, row-major, and their targets
 * — either one class label per row in {@code [0, numClasses)} (a classification data set), or
 * {@code numClasses} float values per row in {@code targets}, row-major (a regression data set;
 * {@code labels} is then null). {@code numClasses} is the width of the model's output either way.
 */
public record Dataset(
    String name, float[] features, int[] labels, int featureSize, int numClasses, float[] targets) {

  public Dataset {
    if (featureSize < 1 || numClasses < 1) {
      throw new IllegalArgumentException(
          name
              + ": featureSize and numClasses must be positive, got "
              + featureSize
              + ", "
              + numClasses);
    }
    if ((labels == null) == (targets == null)) {
      throw new IllegalArgumentException(
          name + ": a data set has either class labels or target values, not both or neither");
    }
    long rows = labels != null ? labels.length : targets.length / numClasses;
    if (targets != null && (long) rows * numClasses != targets.length) {
      throw new IllegalArgumentException(
          name
              + ": "
              + targets.length
              + " target values are not a whole number of rows of "
              + numClasses);
    }
    if (rows * featureSize != features.length) {
      throw new IllegalArgumentException(
          name
              + ": "
              + rows
              + (labels != null ? " labels" : " target rows")
              + " need "
              + rows * featureSize
              + " feature values, got "
              + features.length);
    }
    for (int i = 0; labels != null && i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) {
        throw new IllegalArgumentException(
            name
                + ": label "
                + labels[i]
                + " at sample "
                + i
                + " is outside [0, "
                + numClasses
                + ")");
      }
    }
  }

  /** A classification data set: one label in {@code [0, numClasses)} per row. */
  public Dataset(String name, float[] features, int[] labels, int featureSize, int numClasses) {
    this(name, features, labels, featureSize, numClasses, null);
  }

  /** A regression data set: {@code targetSize} values per row. */
  public static Dataset regression(
      String name, float[] features, int featureSize, float[] targets, int targetSize) {
    return new Dataset(name, features, null, featureSize, targetSize, targets);
  }

  /** Whether the targets are class labels (else float values). */
  public boolean classification() {
    return labels != null;
  }

  public int count() {
    return labels != null ? labels.length : targets.length / numClasses;
  }
}
