package dev.mlp.core.train;

import dev.mlp.core.data.Dataset;
import dev.mlp.core.nn.Loss;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.tensor.Tensor;
import java.util.Arrays;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;

/**
 * Classification figures from a confusion matrix: {@code matrix[t][p]} counts the samples of true
 * class {@code t} predicted as class {@code p}.
 *
 * <p>Built from a matrix, accumulated with {@link #add}, or measured from a model with {@link
 * #of(Sequential, Dataset, int)}. Ratios whose denominator is 0 are 0, as scikit-learn's {@code
 * zero_division=0}: a class never predicted has precision 0, a class with no samples has recall 0,
 * and F1 is 0 when precision and recall are both 0. Over no samples at all, accuracy and the macro
 * averages are NaN.
 */
public final class ClassificationMetrics {
  private final long[][] matrix;
  private long count;
  private double loss = Double.NaN;

  /** No samples yet, over {@code classes} classes. */
  public ClassificationMetrics(int classes) {
    if (classes < 1) {
      throw new IllegalArgumentException("need at least one class, got " + classes);
    }
    this.matrix = new long[classes][classes];
  }

  /** The figures of a square confusion matrix (rows: true class, columns: predicted class). */
  public static ClassificationMetrics of(long[][] confusion) {
    ClassificationMetrics m = new ClassificationMetrics(confusion.length);
    for (int t = 0; t < confusion.length; t++) {
      checkRow(confusion.length, t, confusion[t].length);
      for (int p = 0; p < confusion.length; p++) {
        m.add(t, p, confusion[t][p]);
      }
    }
    return m;
  }

  /** {@link #of(long[][])} for an {@code int} matrix. */
  public static ClassificationMetrics of(int[][] confusion) {
    long[][] wide = new long[confusion.length][];
    for (int t = 0; t < confusion.length; t++) {
      wide[t] = Arrays.stream(confusion[t]).asLongStream().toArray();
    }
    return of(wide);
  }

  /**
   * Runs {@code model} over every sample of {@code data} in evaluation mode, {@code batchSize}
   * samples at a time, and records each prediction: the class of the largest output, the first one
   * on ties (as {@link Trainer} counts accuracy). The classes are the model's outputs; {@link
   * #loss()} is the mean loss over the samples.
   */
  public static ClassificationMetrics of(Sequential model, Dataset data, int batchSize) {
    return of(model, data, IntStream.range(0, data.count()).toArray(), batchSize);
  }

  /** {@link #of(Sequential, Dataset, int)} over the samples {@code indices} of {@code data}. */
  static ClassificationMetrics of(Sequential model, Dataset data, int[] indices, int batchSize) {
    return of(model, data, indices, batchSize, Kernels.defaults(), null);
  }

  /**
   * {@link #of(Sequential, Dataset, int[], int)} gathering the batches with {@code kernels} (on
   * their threads) into {@code input} when it is large enough (a caller's buffer, kept between
   * evaluations), else into a new tensor.
   */
  static ClassificationMetrics of(
      Sequential model, Dataset data, int[] indices, int batchSize, Kernels kernels, Tensor input) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    int d = data.featureSize();
    if (d != model.inputSize()) {
      throw new IllegalArgumentException(
          data.name()
              + " has "
              + d
              + " features per sample but the model expects "
              + model.inputSize());
    }
    Loss loss = model.loss();
    ClassificationMetrics m = new ClassificationMetrics(loss.outputSize());
    int n = indices.length;
    Tensor x = input;
    int[] labels = new int[Math.min(batchSize, Math.max(n, 1))];
    double lossSum = 0;
    for (int from = 0; from < n; from += batchSize) {
      int rows = Math.min(batchSize, n - from);
      x = Tensor.reuse(x, rows, d);
      data.gatherRows(kernels, indices, from, rows, x.data());
      for (int r = 0; r < rows; r++) {
        labels[r] = data.labels()[indices[from + r]];
      }
      loss.setTargets(labels);
      model.forward(x, Mode.EVAL);
      lossSum += loss.loss() * rows;
      Tensor out = loss.output();
      for (int r = 0; r < rows; r++) {
        m.add(labels[r], Trainer.argmax(out.data(), r * out.cols(), out.cols()));
      }
    }
    m.loss = n == 0 ? Double.NaN : lossSum / n;
    return m;
  }

  private static void checkRow(int classes, int row, int length) {
    if (length != classes) {
      throw new IllegalArgumentException(
          "a confusion matrix must be square: "
              + classes
              + " rows, but row "
              + row
              + " has "
              + length
              + " columns");
    }
  }

  /** Records one sample of class {@code trueClass} predicted as {@code predicted}. */
  public void add(int trueClass, int predicted) {
    add(trueClass, predicted, 1);
  }

  private void add(int trueClass, int predicted, long samples) {
    checkClass("true class", trueClass);
    checkClass("predicted class", predicted);
    if (samples < 0) {
      throw new IllegalArgumentException(
          "negative count " + samples + " at [" + trueClass + "][" + predicted + "]");
    }
    matrix[trueClass][predicted] += samples;
    count += samples;
  }

  private void checkClass(String what, int c) {
    if (c < 0 || c >= matrix.length) {
      throw new IllegalArgumentException(what + " " + c + " is outside [0, " + matrix.length + ")");
    }
  }

  public int classes() {
    return matrix.length;
  }

  /** Samples recorded. */
  public long count() {
    return count;
  }

  /**
   * Mean loss over the samples of the model pass that built these metrics; NaN when they were built
   * from a matrix or with {@link #add} (and samples added after the pass are not in it).
   */
  public double loss() {
    return loss;
  }

  /** Fraction of samples predicted correctly (the trace over the count); NaN with no samples. */
  public double accuracy() {
    long correct = 0;
    for (int c = 0; c < matrix.length; c++) {
      correct += matrix[c][c];
    }
    return count == 0 ? Double.NaN : (double) correct / count;
  }

  /** Samples whose true class is {@code c} (its row sum). */
  public long support(int c) {
    checkClass("class", c);
    long s = 0;
    for (long v : matrix[c]) {
      s += v;
    }
    return s;
  }

  /** Samples predicted as {@code c} (its column sum). */
  public long predicted(int c) {
    checkClass("class", c);
    long s = 0;
    for (long[] row : matrix) {
      s += row[c];
    }
    return s;
  }

  /** Of the samples predicted as {@code c}, the fraction that are {@code c}; 0 if none were. */
  public double precision(int c) {
    long predicted = predicted(c);
    return ratio(matrix[c][c], predicted);
  }

  /**
   * Of the samples of class {@code c}, the fraction predicted as {@code c}; 0 if there are none.
   */
  public double recall(int c) {
    long support = support(c);
    return ratio(matrix[c][c], support);
  }

  /** Harmonic mean of precision and recall of class {@code c}; 0 if both are 0. */
  public double f1(int c) {
    double p = precision(c);
    double r = recall(c);
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  /**
   * Unweighted mean of {@link #precision} over the classes that occur (as a true class or as a
   * prediction; scikit-learn's macro average without an explicit label list); NaN if none does.
   */
  public double macroPrecision() {
    return macro(this::precision);
  }

  /** Unweighted mean of {@link #recall} over the classes that occur, as {@link #macroPrecision}. */
  public double macroRecall() {
    return macro(this::recall);
  }

  /** Unweighted mean of {@link #f1} over the classes that occur, as {@link #macroPrecision}. */
  public double macroF1() {
    return macro(this::f1);
  }

  /** A copy of the confusion matrix: {@code [true class][predicted class]}. */
  public long[][] confusionMatrix() {
    long[][] copy = new long[matrix.length][];
    for (int t = 0; t < matrix.length; t++) {
      copy[t] = matrix[t].clone();
    }
    return copy;
  }

  private double macro(IntToDoubleFunction perClass) {
    double sum = 0;
    int occurring = 0;
    for (int c = 0; c < matrix.length; c++) {
      if (support(c) > 0 || predicted(c) > 0) {
        sum += perClass.applyAsDouble(c);
        occurring++;
      }
    }
    return occurring == 0 ? Double.NaN : sum / occurring;
  }

  private static double ratio(long part, long whole) {
    return whole == 0 ? 0 : (double) part / whole;
  }
}
