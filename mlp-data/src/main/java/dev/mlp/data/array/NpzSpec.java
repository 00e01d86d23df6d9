package dev.mlp.data.array;

import dev.mlp.core.config.DatasetSpec;
import dev.mlp.core.config.Field;
import java.util.List;

/**
 * {@code {type: npz, path: data.npz}}: a NumPy {@code .npz} archive (numpy.savez, compressed or
 * not) holding the features and targets as named arrays.
 */
public record NpzSpec(
    @Field(value = "the .npz file", fallback = "required") String path,
    @Field(value = "the name of the features array [N, D]", fallback = "X") String x,
    @Field(value = "the name of the targets array [N] or [N, K]", fallback = "y") String y,
    @Field(value = "the name of a test features array (with test_y)", fallback = "none")
        String testX,
    @Field(value = "the name of the test targets array", fallback = "none") String testY,
    @Field(
            value = "classification or regression",
            fallback = "classification for integer y of one column, regression otherwise")
        String task,
    @Field(value = "names of the classes 0, 1, ...", fallback = "their numbers")
        List<String> classes,
    @Field(value = "the fraction of rows held out as the test set", fallback = "0.2")
        Double testSplit,
    @Field(value = "the seed of the train/test split", fallback = "42") Long splitSeed)
    implements DatasetSpec {

  public NpzSpec {
    if (path == null) {
      throw new IllegalArgumentException("path is required: the .npz file");
    }
    x = x == null ? "X" : x;
    y = y == null ? "y" : y;
    if ((testX == null) != (testY == null)) {
      throw new IllegalArgumentException("test_x and test_y go together");
    }
    NpySpec.check(task, classes);
    testSplit = NpySpec.testSplit(testSplit, testX != null);
    splitSeed = splitSeed == null ? 42L : splitSeed;
    classes = classes == null ? null : List.copyOf(classes);
  }
}
