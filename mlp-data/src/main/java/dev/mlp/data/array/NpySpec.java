package dev.mlp.data.array;

import dev.mlp.core.config.DatasetSpec;
import dev.mlp.core.config.Field;
import java.util.List;
import java.util.Set;

/**
 * {@code {type: npy, x: X.npy, y: y.npy}}: NumPy arrays as Python hands them over, {@code X} of [N,
 * D] and {@code y} of [N] (class labels, or values) or [N, K] (values).
 */
public record NpySpec(
    @Field(value = "the features: an .npy file of shape [N, D]", fallback = "required") String x,
    @Field(value = "the targets: an .npy file of shape [N] or [N, K]", fallback = "required")
        String y,
    @Field(value = "test features (with test_y), instead of test_split", fallback = "none")
        String testX,
    @Field(value = "test targets", fallback = "none") String testY,
    @Field(
            value = "classification or regression",
            fallback = "classification for integer y of one column, regression otherwise")
        String task,
    @Field(
            value = "names of the classes 0, 1, ... (for messages and predictions)",
            fallback = "their numbers")
        List<String> classes,
    @Field(value = "the fraction of rows held out as the test set", fallback = "0.2")
        Double testSplit,
    @Field(value = "the seed of the train/test split", fallback = "42") Long splitSeed)
    implements DatasetSpec {

  public NpySpec {
    if (x == null || y == null) {
      throw new IllegalArgumentException(
          "x and y are required: the .npy files of features and targets");
    }
    if ((testX == null) != (testY == null)) {
      throw new IllegalArgumentException("test_x and test_y go together");
    }
    check(task, classes);
    testSplit = testSplit(testSplit, testX != null);
    splitSeed = splitSeed == null ? 42L : splitSeed;
    classes = classes == null ? null : List.copyOf(classes);
  }

  /**
   * The test fraction: 0.2 by default without test arrays, 0 (or left out) with them; else a
   * fraction in (0, 1).
   */
  static double testSplit(Double testSplit, boolean testArrays) {
    if (testSplit != null && testSplit != 0.0 && testArrays) {
      throw new IllegalArgumentException("test_split goes without test_x/test_y");
    }
    double f = testSplit == null ? (testArrays ? 0.0 : 0.2) : testSplit;
    if (!testArrays && !(f > 0 && f < 1)) {
      throw new IllegalArgumentException("test_split must be a fraction in (0, 1), got " + f);
    }
    return f;
  }

  static void check(String task, List<String> classes) {
    if (task != null && !Set.of("classification", "regression").contains(task)) {
      throw new IllegalArgumentException(
          "task must be classification or regression, got '" + task + "'");
    }
    if (classes != null && "regression".equals(task)) {
      throw new IllegalArgumentException("classes go with classification");
    }
  }
}
