package dev.mlp.run;

import dev.mlp.core.data.Dataset;
import dev.mlp.core.train.Trainer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The speed of a config on this machine: training epochs (warm-up excluded) and passes over the
 * test set, each the median of its repetitions, as samples/s and GFLOP/s.
 *
 * @param epochSeconds every measured epoch's training seconds, in order
 * @param flopsTrain floating-point operations of one epoch of training
 * @param flopsInference floating-point operations of one pass over the test set
 */
public record Benchmark(
    double[] epochSeconds,
    double trainSeconds,
    long trainSamples,
    double inferenceSeconds,
    long inferenceSamples,
    double flopsTrain,
    double flopsInference) {

  /**
   * Trains {@code warmup + repeat} epochs of {@code x} (from its start; nothing is saved), then
   * times at least five passes over its test set after two unmeasured ones.
   *
   * @param progress one line per epoch as it ends
   */
  public static Benchmark run(Experiment x, int warmup, int repeat, Consumer<String> progress) {
    if (warmup < 0 || repeat < 1) {
      throw new IllegalArgumentException(
          "--warmup must be >= 0 and --repeat >= 1, got " + warmup + " and " + repeat);
    }
    Dataset train = x.data().train();
    Dataset test = x.data().test();
    Trainer trainer =
        new Trainer(
            x.model(),
            x.optimizer(),
            x.config().training(),
            x.config().seed(),
            x.kernels(),
            x.schedule());
    double[] epochSeconds = new double[repeat];
    long steps = 0;
    for (int e = 1; e <= warmup + repeat; e++) {
      Trainer.EpochStats s = trainer.trainEpoch(train, e, steps);
      steps += s.steps();
      if (e > warmup) {
        epochSeconds[e - warmup - 1] = s.seconds();
      }
      progress.accept(
          String.format(
              "  %s epoch %d: %.3f s", e <= warmup ? "warm-up" : "measured", e, s.seconds()));
    }
    int evalRepeat = Math.max(5, repeat);
    double[] evalSeconds = new double[evalRepeat];
    for (int r = -2; r < evalRepeat; r++) { // two unmeasured passes warm the evaluation path
      long t0 = System.nanoTime();
      trainer.measure(test); // by the data's task: a regressor has no labels to count
      if (r >= 0) {
        evalSeconds[r] = (System.nanoTime() - t0) / 1e9;
      }
    }
    return new Benchmark(
        epochSeconds,
        median(epochSeconds),
        train.count(),
        median(evalSeconds),
        test.count(),
        x.model().trainingFlopsPerSample() * (double) train.count(),
        x.model().inferenceFlopsPerSample() * (double) test.count());
  }

  public double trainSamplesPerSecond() {
    return trainSamples / trainSeconds;
  }

  public double trainGflops() {
    return flopsTrain / trainSeconds / 1e9;
  }

  public double inferenceSamplesPerSecond() {
    return inferenceSamples / inferenceSeconds;
  }

  public double inferenceGflops() {
    return flopsInference / inferenceSeconds / 1e9;
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
