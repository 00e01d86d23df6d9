package dev.mlp.core.train;

import dev.mlp.core.data.Dataset;
import dev.mlp.core.nn.Loss;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Regression figures of a model over a data set with target values, every output of every sample
 * counted alike: the model's own mean loss, the mean absolute error, the root mean squared error
 * and R² (1 − SSE / SST, SST about the targets' mean; NaN when the targets do not vary); and a
 * sample of the target values with the model's predictions of them, for a predicted-vs-actual plot:
 * every value when there are at most {@link #MAX_POINTS}, else every output of samples evenly
 * spread over the data set, in its order.
 *
 * @param actual target values of the sample (empty when none was kept)
 * @param predicted the model's predictions of {@code actual}, one each
 */
public record RegressionMetrics(
    double loss,
    double mae,
    double rmse,
    double r2,
    long count,
    float[] actual,
    float[] predicted) {

  /** The most (target, prediction) pairs kept for a plot. */
  public static final int MAX_POINTS = 2000;

  public RegressionMetrics {
    if (actual.length != predicted.length) {
      throw new IllegalArgumentException(
          actual.length + " target values but " + predicted.length + " predictions");
    }
  }

  /** The figures without a sample of points. */
  public RegressionMetrics(double loss, double mae, double rmse, double r2, long count) {
    this(loss, mae, rmse, r2, count, new float[0], new float[0]);
  }

  /**
   * The measures as an epoch line names them: {@code loss}, {@code mae}, {@code rmse}, {@code r2}.
   */
  public Map<String, Double> measures() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(EpochMetrics.LOSS, loss);
    m.put("mae", mae);
    m.put("rmse", rmse);
    m.put("r2", r2);
    return m;
  }

  /** Runs {@code model} over every sample of {@code data} in evaluation mode. */
  public static RegressionMetrics of(Sequential model, Dataset data, int batchSize) {
    return of(model, data, IntStream.range(0, data.count()).toArray(), batchSize);
  }

  /** {@link #of(Sequential, Dataset, int)} over the samples {@code indices} of {@code data}. */
  static RegressionMetrics of(Sequential model, Dataset data, int[] indices, int batchSize) {
    return of(model, data, indices, batchSize, Kernels.defaults(), null);
  }

  /**
   * {@link #of(Sequential, Dataset, int[], int)} gathering the batches with {@code kernels} (on
   * their threads) into {@code input} when it is large enough (a caller's buffer, kept between
   * evaluations), else into a new tensor.
   */
  static RegressionMetrics of(
      Sequential model, Dataset data, int[] indices, int batchSize, Kernels kernels, Tensor input) {
    if (data.classification()) {
      throw new IllegalArgumentException(
          data.name() + " has class labels, not target values: measure it as a classifier");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    int d = data.featureSize();
    int k = data.numClasses();
    Loss loss = model.loss();
    int n = indices.length;
    Tensor x = input;
    Tensor y = null;
    double lossSum = 0;
    double absSum = 0;
    double sqSum = 0;
    double targetSum = 0;
    double targetSqSum = 0;
    long values = (long) n * k;
    // every output of every stride-th sample is kept: at most MAX_POINTS values, spread over the
    // whole set (none when one sample alone has more outputs)
    int budget = MAX_POINTS / k;
    int stride = budget == 0 ? Integer.MAX_VALUE : Math.max(1, (n + budget - 1) / budget);
    int kept = budget == 0 ? 0 : (n + stride - 1) / stride * k;
    float[] actual = new float[kept];
    float[] predicted = new float[kept];
    for (int from = 0; from < n; from += batchSize) {
      int rows = Math.min(batchSize, n - from);
      x = Tensor.reuse(x, rows, d);
      y = Tensor.reuse(y, rows, k);
      data.gatherRows(kernels, indices, from, rows, x.data());
      for (int r = 0; r < rows; r++) {
        System.arraycopy(data.targets(), indices[from + r] * k, y.data(), r * k, k);
      }
      loss.setTargetValues(y);
      model.forward(x, Mode.EVAL);
      lossSum += loss.loss() * rows;
      float[] out = loss.infer(loss.output()).data();
      float[] t = y.data();
      for (int i = 0; i < rows * k; i++) {
        int sample = from + i / k;
        if (sample % stride == 0) {
          int at = sample / stride * k + i % k;
          actual[at] = t[i];
          predicted[at] = out[i];
        }
        double e = out[i] - t[i];
        absSum += Math.abs(e);
        sqSum += e * e;
        targetSum += t[i];
        targetSqSum += (double) t[i] * t[i];
      }
    }
    if (n == 0) {
      return new RegressionMetrics(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
    }
    double mean = targetSum / values;
    double sst = targetSqSum - values * mean * mean;
    return new RegressionMetrics(
        lossSum / n,
        absSum / values,
        Math.sqrt(sqSum / values),
        sst > 0 ? 1 - sqSum / sst : Double.NaN,
        n,
        actual,
        predicted);
  }
}
