package dev.mlp.core.data;

import dev.mlp.core.tensor.Kernels;

/**
 * Samples in memory: {@code count} rows of {@code featureSize} floats, row-major, and their targets
 * — either one class label per row in {@code [0, numClasses)} (a classification data set), or
 * {@code numClasses} float values per row in {@code targets}, row-major (a regression data set;
 * {@code labels} is then null). {@code numClasses} is the width of the model's output either way.
 *
 * <p>An image data set may keep its pixels as they came, unsigned bytes, each standing for the
 * float {@code (b & 0xFF) / divisor} ({@link #unsignedBytes}): a quarter of the memory (MNIST's
 * 60,000 training images are 47 MB instead of 188 MB), nothing to convert when the file is read,
 * and a quarter of the bytes to fetch when a shuffled batch is gathered. Training and evaluation
 * read rows through {@link #gatherRows}, which converts while it copies, giving the same floats;
 * {@link #features()} makes the float copy of all of it, once, for code that wants the array.
 */
public final class Dataset {
  private final String name;
  private volatile float[] features;
  private final byte[] pixels;
  private final float divisor;
  private final int[] labels;
  private final int featureSize;
  private final int numClasses;
  private final float[] targets;

  /**
   * A data set of float features: class {@code labels} (and null {@code targets}) or {@code
   * targets} (and null {@code labels}).
   */
  public Dataset(
      String name,
      float[] features,
      int[] labels,
      int featureSize,
      int numClasses,
      float[] targets) {
    this(name, features, null, 0f, labels, featureSize, numClasses, targets);
  }

  private Dataset(
      String name,
      float[] features,
      byte[] pixels,
      float divisor,
      int[] labels,
      int featureSize,
      int numClasses,
      float[] targets) {
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
    if ((features == null) == (pixels == null)) {
      throw new IllegalArgumentException(name + ": a data set has either float or byte features");
    }
    if (pixels != null
        && !(divisor > 0 && Float.isFinite(divisor) && Float.isFinite(255f / divisor))) {
      throw new IllegalArgumentException(
          name
              + ": the divisor must be positive, finite and leave 255 / divisor finite, got "
              + divisor);
    }
    long values = features != null ? features.length : pixels.length;
    long rows = labels != null ? labels.length : targets.length / numClasses;
    if (targets != null && (long) rows * numClasses != targets.length) {
      throw new IllegalArgumentException(
          name
              + ": "
              + targets.length
              + " target values are not a whole number of rows of "
              + numClasses);
    }
    if (rows * featureSize != values) {
      throw new IllegalArgumentException(
          name
              + ": "
              + rows
              + (labels != null ? " labels" : " target rows")
              + " need "
              + rows * featureSize
              + " feature values, got "
              + values);
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
    this.name = name;
    this.features = features;
    this.pixels = pixels;
    this.divisor = divisor;
    this.labels = labels;
    this.featureSize = featureSize;
    this.numClasses = numClasses;
    this.targets = targets;
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

  /**
   * A classification data set whose features are unsigned bytes, {@code featureSize} per row, each
   * standing for {@code (b & 0xFF) / divisor} (pixels over 255, for [0, 1]).
   */
  public static Dataset unsignedBytes(
      String name, byte[] pixels, float divisor, int[] labels, int featureSize, int numClasses) {
    return new Dataset(name, null, pixels, divisor, labels, featureSize, numClasses, null);
  }

  public String name() {
    return name;
  }

  /**
   * The features as floats, row-major. For a data set of {@link #unsignedBytes} this converts all
   * of them, the first time it is called, and keeps the copy: reading rows with {@link #gatherRows}
   * needs no copy.
   */
  public float[] features() {
    float[] f = features;
    if (f == null) {
      synchronized (this) {
        f = features;
        if (f == null) {
          f = new float[pixels.length];
          for (int i = 0; i < f.length; i++) {
            f[i] = (pixels[i] & 0xFF) / divisor;
          }
          features = f;
        }
      }
    }
    return f;
  }

  /** Whether the features are kept as unsigned bytes ({@link #unsignedBytes}). */
  public boolean byteFeatures() {
    return pixels != null;
  }

  /** Class labels, or null for a regression data set. */
  public int[] labels() {
    return labels;
  }

  public int featureSize() {
    return featureSize;
  }

  /** Classes of a classifier, target values per row of a regressor: the model's output width. */
  public int numClasses() {
    return numClasses;
  }

  /** Target values, row-major, or null for a classification data set. */
  public float[] targets() {
    return targets;
  }

  /**
   * Copies rows {@code order[from]}, …, {@code order[from + rows - 1]} into the first {@code rows}
   * rows of {@code dst} as floats, with {@code kernels} (which may split the work by rows): a
   * shuffled mini-batch.
   */
  public void gatherRows(Kernels kernels, int[] order, int from, int rows, float[] dst) {
    if (pixels != null) {
      kernels.gatherUnsignedBytes(pixels, divisor, order, from, rows, featureSize, dst);
    } else {
      kernels.gatherRows(features, order, from, rows, featureSize, dst);
    }
  }

  @Override
  public String toString() {
    return String.format(
        "Dataset[%s, %d rows of %d %s, %s]",
        name,
        count(),
        featureSize,
        pixels != null ? "unsigned bytes" : "floats",
        labels != null ? numClasses + " classes" : numClasses + " targets");
  }

  /** Whether the targets are class labels (else float values). */
  public boolean classification() {
    return labels != null;
  }

  public int count() {
    return labels != null ? labels.length : targets.length / numClasses;
  }
}
