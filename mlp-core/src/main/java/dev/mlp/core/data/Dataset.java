package dev.mlp.core.data;

/**
 * Labelled samples in memory: {@code count} rows of {@code featureSize} floats, row-major, and one
 * class label per row in {@code [0, numClasses)}.
 */
public record Dataset(
    String name, float[] features, int[] labels, int featureSize, int numClasses) {

  public Dataset {
    if (featureSize < 1 || numClasses < 1) {
      throw new IllegalArgumentException(
          name
              + ": featureSize and numClasses must be positive, got "
              + featureSize
              + ", "
              + numClasses);
    }
    if ((long) labels.length * featureSize != features.length) {
      throw new IllegalArgumentException(
          name
              + ": "
              + labels.length
              + " labels need "
              + (long) labels.length * featureSize
              + " feature values, got "
              + features.length);
    }
    for (int i = 0; i < labels.length; i++) {
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

  public int count() {
    return labels.length;
  }
}
