package dev.mlp.data.array;

import dev.mlp.core.data.DataSplits;
import dev.mlp.core.data.Dataset;
import dev.mlp.data.files.InputFileException;
import dev.mlp.data.files.InputFiles;
import dev.mlp.data.table.Splits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Consumer;

/** NumPy arrays made into train and test sets, for the {@code npy} and {@code npz} types. */
final class ArrayDatasets {
  private ArrayDatasets() {}

  /** What float32 arrays may take of the heap that is still free. */
  static long budget() {
    Runtime rt = Runtime.getRuntime();
    return Math.max(0, rt.maxMemory() - (rt.totalMemory() - rt.freeMemory()));
  }

  /** One .npy file. */
  static NpyArray readFile(Path file) throws IOException {
    long size = InputFiles.requireRegularFile(file, ".npy file");
    try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      return NpyArray.read(in, file.toString(), size, budget());
    } catch (InputFileException e) {
      throw e;
    } catch (IOException e) {
      throw new InputFileException(file + ": cannot read: " + InputFiles.reason(e), e);
    }
  }

  /**
   * The data sets: {@code x} [N, D] and {@code y} [N] or [N, K] (and the test arrays, or a split of
   * {@code fraction} of the rows).
   */
  static DataSplits build(
      String name,
      NpyArray x,
      NpyArray y,
      NpyArray testX,
      NpyArray testY,
      String task,
      List<String> classNames,
      double fraction,
      long seed,
      String checksum,
      Consumer<String> log)
      throws IOException {
    check(x, y);
    if (testX != null) {
      check(testX, testY);
      if (testX.shape()[1] != x.shape()[1]) {
        throw new InputFileException(
            testX.name()
                + ": "
                + testX.shape()[1]
                + " features a row, but "
                + x.name()
                + " has "
                + x.shape()[1]);
      }
      if (testY.shape().length != y.shape().length
          || (y.shape().length == 2 && testY.shape()[1] != y.shape()[1])) {
        throw new InputFileException(
            testY.name()
                + ": shape "
                + java.util.Arrays.toString(testY.shape())
                + " does not match "
                + y.name()
                + "'s "
                + java.util.Arrays.toString(y.shape()));
      }
    }
    boolean classification =
        task != null ? task.equals("classification") : y.integral() && y.shape().length == 1;
    if (classification && y.shape().length != 1) {
      throw new InputFileException(
          y.name()
              + ": class labels are one per row, shape [N]; this is "
              + java.util.Arrays.toString(y.shape()));
    }
    int d = (int) x.shape()[1];
    int n = (int) x.rows();
    List<String> names = null;
    int[] labels = null;
    int[] testLabels = null;
    if (classification) {
      TreeSet<Float> values = new TreeSet<>();
      float[] yv = y.values();
      for (int i = 0; i < yv.length; i++) {
        float v = yv[i];
        if (v != Math.rint(v) || v < 0) {
          throw new InputFileException(
              y.name()
                  + ": row "
                  + i
                  + ": expected a class label, an integer >= 0, got "
                  + text(v));
        }
        values.add(v);
      }
      List<Float> sorted = new ArrayList<>(values);
      if (classNames != null) {
        if (sorted.get(sorted.size() - 1) >= classNames.size()) {
          throw new InputFileException(
              y.name()
                  + ": holds the label "
                  + text(sorted.get(sorted.size() - 1))
                  + " but data.classes names "
                  + classNames.size()
                  + " classes (0 to "
                  + (classNames.size() - 1)
                  + ")");
        }
        sorted = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) {
          sorted.add((float) c);
        }
        names = classNames;
      } else {
        names = sorted.stream().map(ArrayDatasets::text).toList();
      }
      if (names.size() < 2) {
        throw new InputFileException(
            y.name() + ": a single class (" + names.get(0) + "); a classifier needs at least two");
      }
      labels = index(y, sorted);
      testLabels = testY == null ? null : index(testY, sorted);
    }
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    int[] trainRows = all;
    int[] testRows = null;
    if (testX == null) {
      int[][] split = Splits.of(all, labels, classification, fraction, seed);
      trainRows = split[0];
      testRows = split[1];
    }
    int k = classification ? names.size() : (y.shape().length == 1 ? 1 : (int) y.shape()[1]);
    Dataset train;
    Dataset test;
    if (classification) {
      train = new Dataset(name + "/train", rows(x, trainRows, d), gather(labels, trainRows), d, k);
      test =
          testX == null
              ? new Dataset(name + "/test", rows(x, testRows, d), gather(labels, testRows), d, k)
              : new Dataset(name + "/test", testX.values(), testLabels, d, k);
    } else {
      train =
          Dataset.regression(name + "/train", rows(x, trainRows, d), d, rows(y, trainRows, k), k);
      test =
          testX == null
              ? Dataset.regression(name + "/test", rows(x, testRows, d), d, rows(y, testRows, k), k)
              : Dataset.regression(name + "/test", testX.values(), d, testY.values(), k);
    }
    log.accept(
        String.format(
            Locale.ROOT,
            "%s: %,d rows of %d features; %s; %,d train / %,d test rows",
            name,
            n + (testX == null ? 0 : (int) testX.rows()),
            d,
            classification
                ? names.size() + " classes, classification"
                : k + (k == 1 ? " value" : " values") + " a row, regression",
            train.count(),
            test.count()));
    return new DataSplits(train, test, checksum, classification ? names : null, null);
  }

  private static void check(NpyArray x, NpyArray y) throws InputFileException {
    if (x.shape().length != 2 || x.shape()[1] < 1) {
      throw new InputFileException(
          x.name()
              + ": features are an array of shape [N, D]; this is "
              + java.util.Arrays.toString(x.shape()));
    }
    if (y.shape().length < 1 || y.shape().length > 2) {
      throw new InputFileException(
          y.name()
              + ": targets are an array of shape [N] or [N, K]; this is "
              + java.util.Arrays.toString(y.shape()));
    }
    if (y.rows() != x.rows()) {
      throw new InputFileException(
          y.name() + ": " + y.rows() + " rows, but " + x.name() + " has " + x.rows());
    }
    if (x.rows() < 2) {
      throw new InputFileException(x.name() + ": " + x.rows() + " rows; too few to learn from");
    }
    if (!y.integral()) {
      for (float v : y.values()) {
        if (!Float.isFinite(v)) {
          throw new InputFileException(y.name() + ": holds " + v + "; targets must be finite");
        }
      }
    }
  }

  private static int[] index(NpyArray y, List<Float> classes) throws InputFileException {
    float[] v = y.values();
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      int c = java.util.Collections.binarySearch(classes, v[i]);
      if (c < 0) {
        throw new InputFileException(
            y.name()
                + ": row "
                + i
                + " has the class "
                + text(v[i])
                + ", which the training rows lack");
      }
      out[i] = c;
    }
    return out;
  }

  private static float[] rows(NpyArray a, int[] rows, int width) {
    float[] src = a.values();
    float[] out = new float[Math.multiplyExact(rows.length, width)];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(src, rows[i] * width, out, i * width, width);
    }
    return out;
  }

  private static int[] gather(int[] values, int[] rows) {
    int[] out = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = values[rows[i]];
    }
    return out;
  }

  static String text(float v) {
    return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.valueOf(v);
  }

  /** The SHA-256 of files and a description of how they are read. */
  static String checksum(List<Path> files, String how) throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Path f : files) {
        try (InputStream in = Files.newInputStream(f)) {
          byte[] buf = new byte[1 << 16];
          int n;
          while ((n = in.read(buf)) > 0) {
            sha.update(buf, 0, n);
          }
        }
      }
      sha.update(how.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
