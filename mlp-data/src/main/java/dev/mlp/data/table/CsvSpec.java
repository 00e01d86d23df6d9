package dev.mlp.data.table;

import dev.mlp.core.config.DatasetSpec;
import dev.mlp.core.config.Field;
import java.util.List;
import java.util.Set;

/**
 * {@code {type: csv, path: weather.csv, label: weather}}: a table of the user's own, one sample a
 * row. Paths are relative to the working folder.
 */
public record CsvSpec(
    @Field(value = "the CSV file, split into train and test by test_split", fallback = "required")
        String path,
    @Field(value = "a CSV file of training rows (instead of path; with test)", fallback = "none")
        String train,
    @Field(value = "a CSV file of test rows, with the same header as train", fallback = "none")
        String test,
    @Field(value = "the label column: its name, or its 0-based index", fallback = "required")
        Object label,
    @Field(value = "the feature columns, by name", fallback = "every column but the label")
        List<String> features,
    @Field(value = "columns to leave out (a date, an id)", fallback = "none") List<String> exclude,
    @Field(
            value = "feature columns that hold categories (one-hot encoded)",
            fallback = "the columns whose first value is not a number")
        List<String> categorical,
    @Field(value = "whether the first line names the columns", fallback = "detected")
        Boolean header,
    @Field(value = "the field separator, one character", fallback = ",") String delimiter,
    @Field(
            value = "classification or regression",
            fallback = "classification for text labels and for integer labels of at most 20 values")
        String task,
    @Field(value = "rows with an empty cell: error, drop or mean", fallback = "error")
        String missing,
    @Field(
            value = "feature scaling, fitted on the training rows: standard, minmax or none",
            fallback = "standard")
        String normalize,
    @Field(
            value = "with normalize: none, every numeric feature divided by this (255 for pixels)",
            fallback = "1")
        Double divideBy,
    @Field(value = "the fraction of path's rows held out as the test set", fallback = "0.2")
        Double testSplit,
    @Field(value = "the seed of the train/test split", fallback = "42") Long splitSeed,
    @Field(
            value =
                "an npm package carrying the file (e.g. vega-datasets@3.2.1); path is then the"
                    + " file's path inside it, fetched once, verified and cached",
            fallback = "none: path is a local file")
        String npm,
    @Field(value = "with npm: the SHA-256 of the file, as sha256sum prints it", fallback = "none")
        String sha256,
    @Field(value = "with npm: the size of the file in bytes", fallback = "none") Long size)
    implements DatasetSpec {

  public CsvSpec {
    if ((path == null) == (train == null)) {
      throw new IllegalArgumentException(
          path == null
              ? "path is required (the CSV file), or train and test"
              : "give either path or train (with test), not both");
    }
    if (train != null && test == null) {
      throw new IllegalArgumentException("train needs test: the CSV file of test rows");
    }
    if (path != null && test != null) {
      throw new IllegalArgumentException(
          "test goes with train; with path, test_split holds rows out");
    }
    if (label == null) {
      throw new IllegalArgumentException(
          "label is required: the name of the column to predict, or its 0-based index");
    }
    if (!(label instanceof String) && !(label instanceof Integer i && i >= 0)) {
      throw new IllegalArgumentException(
          "label must be a column name or a 0-based column index, got " + label);
    }
    if (features != null) {
      for (int i = 0; i < features.size(); i++) {
        if (features.indexOf(features.get(i)) != i) {
          throw new IllegalArgumentException(
              "features names '" + features.get(i) + "' twice; name each column once");
        }
        if (exclude != null && exclude.contains(features.get(i))) {
          throw new IllegalArgumentException(
              "'"
                  + features.get(i)
                  + "' is both in features and in exclude; give features, or exclude, not both");
        }
      }
    }
    if (exclude != null && label instanceof String name && exclude.contains(name)) {
      throw new IllegalArgumentException(
          "exclude lists '" + name + "', the label; the label is never a feature anyway");
    }
    features = features == null ? null : List.copyOf(features);
    exclude = exclude == null ? List.of() : List.copyOf(exclude);
    categorical = categorical == null ? null : List.copyOf(categorical);
    delimiter = delimiter == null ? "," : delimiter;
    if (delimiter.length() != 1 || delimiter.equals("\"") || delimiter.equals("\n")) {
      throw new IllegalArgumentException(
          "delimiter must be one character other than a quote or a line break, got '"
              + delimiter
              + "'");
    }
    if (task != null && !Set.of("classification", "regression").contains(task)) {
      throw new IllegalArgumentException(
          "task must be classification or regression, got '" + task + "'");
    }
    missing = missing == null ? "error" : missing;
    if (!Set.of("error", "drop", "mean").contains(missing)) {
      throw new IllegalArgumentException(
          "missing must be error, drop or mean, got '" + missing + "'");
    }
    normalize = normalize == null ? "standard" : normalize;
    if (!Set.of("standard", "minmax", "none").contains(normalize)) {
      throw new IllegalArgumentException(
          "normalize must be standard, minmax or none, got '" + normalize + "'");
    }
    // (a resolved config holds every default: divide_by 1 and test_split 0 must read back)
    if (divideBy != null && divideBy != 1.0 && !normalize.equals("none")) {
      throw new IllegalArgumentException(
          "divide_by goes with normalize: none; standard and minmax scaling do not depend on it");
    }
    divideBy = divideBy == null ? 1.0 : divideBy;
    if (!(divideBy > 0) || Double.isInfinite(divideBy)) {
      throw new IllegalArgumentException("divide_by must be a positive number, got " + divideBy);
    }
    if (testSplit != null && testSplit != 0.0 && train != null) {
      throw new IllegalArgumentException(
          "test_split goes with path; with train, test is the test set");
    }
    testSplit = testSplit == null ? (path != null ? 0.2 : 0.0) : testSplit;
    if (path != null && !(testSplit > 0 && testSplit < 1)) {
      throw new IllegalArgumentException(
          "test_split must be a fraction in (0, 1), got " + testSplit);
    }
    splitSeed = splitSeed == null ? 42L : splitSeed;
    if (npm != null) {
      if (path == null) {
        throw new IllegalArgumentException("npm needs path: the file's path inside the package");
      }
      if (sha256 == null || !sha256.matches("[0-9a-f]{64}") || size == null || size < 1) {
        throw new IllegalArgumentException(
            "npm needs sha256 (64 lower-case hex digits) and size (bytes) of the file, so that"
                + " what is fetched is verified");
      }
      if (path.startsWith("/") || path.contains("..")) {
        throw new IllegalArgumentException(
            "with npm, path is inside the package (e.g. data/weather.csv), got " + path);
      }
    } else if (sha256 != null || size != null) {
      throw new IllegalArgumentException("sha256 and size go with npm (a file to fetch)");
    }
  }
}
