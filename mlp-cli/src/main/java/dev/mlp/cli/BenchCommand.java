package dev.mlp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlp.core.config.ExperimentConfig;
import dev.mlp.core.data.Dataset;
import dev.mlp.core.tensor.ParallelKernels;
import dev.mlp.core.train.Trainer;
import dev.mlp.run.Experiment;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mlp bench --config FILE}: training and inference throughput of a config on this machine,
 * warm-up excluded, median of the measured repetitions.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure training and inference speed of a config: median seconds per epoch (training only,"
          + " warm-up excluded), samples/s and GFLOP/s, and the same for one pass over the test"
          + " set."
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ExperimentOptions options;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      defaultValue = "1",
      description = "Training epochs run first and not measured (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--repeat",
      paramLabel = "N",
      defaultValue = "5",
      description = "Measured training epochs (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Option(
      names = "--json",
      description = "Print the results as one JSON object on stdout, nothing else.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (warmup < 0 || repeat < 1) {
      throw new dev.mlp.run.config.ConfigException(
          "--warmup must be >= 0 and --repeat >= 1, got " + warmup + " and " + repeat);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Experiment x = options.prepare(err);
    ExperimentConfig cfg = x.config();
    Dataset train = x.data().train();
    Dataset test = x.data().test();
    Trainer trainer =
        new Trainer(
            x.model(), x.optimizer(), cfg.training(), cfg.seed(), x.kernels(), x.schedule());

    PrintWriter info = json ? err : out;
    info.printf(
        "%s: %s, batch %d, %s%n",
        cfg.name(), options.config, cfg.training().batchSize(), x.kernels());
    info.flush();
    double[] epochSeconds = new double[repeat];
    long steps = 0;
    for (int e = 1; e <= warmup + repeat; e++) {
      Trainer.EpochStats s = trainer.trainEpoch(train, e, steps);
      steps += s.steps();
      if (e > warmup) {
        epochSeconds[e - warmup - 1] = s.seconds();
      }
      info.printf("  %s epoch %d: %.3f s%n", e <= warmup ? "warm-up" : "measured", e, s.seconds());
      info.flush();
    }
    int evalRepeat = Math.max(5, repeat);
    double[] evalSeconds = new double[evalRepeat];
    for (int r = -2; r < evalRepeat; r++) { // two unmeasured passes warm the evaluation path
      long t0 = System.nanoTime();
      trainer.evaluate(test);
      if (r >= 0) {
        evalSeconds[r] = (System.nanoTime() - t0) / 1e9;
      }
    }
    double trainMedian = median(epochSeconds);
    double evalMedian = median(evalSeconds);
    double trainSamples = train.count() / trainMedian;
    double trainGflops =
        x.model().trainingFlopsPerSample() * (double) train.count() / trainMedian / 1e9;
    double evalSamples = test.count() / evalMedian;
    double evalGflops =
        x.model().inferenceFlopsPerSample() * (double) test.count() / evalMedian / 1e9;

    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode o = mapper.createObjectNode();
      o.put("config", options.config.toString());
      o.put("threads", x.kernels().threads());
      o.put("kernels", x.kernels().toString());
      o.put("batch_size", cfg.training().batchSize());
      ObjectNode t = o.putObject("train");
      t.put("seconds_per_epoch", trainMedian);
      t.put("samples_per_second", trainSamples);
      t.put("gflops", trainGflops);
      t.put("epochs_measured", repeat);
      t.putPOJO("epoch_seconds", epochSeconds);
      ObjectNode i = o.putObject("inference");
      i.put("seconds", evalMedian);
      i.put("samples", test.count());
      i.put("samples_per_second", evalSamples);
      i.put("gflops", evalGflops);
      out.println(o);
    } else {
      out.printf("threads: %d (%s)%n", x.kernels().threads(), x.kernels());
      if (x.kernels() instanceof ParallelKernels p && p.pool().soloChoices() > 0) {
        out.printf(
            "           one thread measured as fast as %d (machine busy?) in %d of the timing"
                + " rounds; those stretches ran on one thread%n",
            p.pool().threads(), p.pool().soloChoices());
      }
      out.printf(
          "train:     %.3f s/epoch (median of %d)  %,.0f samples/s  %.1f GFLOP/s%n",
          trainMedian, repeat, trainSamples, trainGflops);
      out.printf(
          "inference: %.1f ms for %,d samples     %,.0f samples/s  %.1f GFLOP/s%n",
          evalMedian * 1e3, test.count(), evalSamples, evalGflops);
    }
    out.flush();
    return ExitCode.OK;
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
