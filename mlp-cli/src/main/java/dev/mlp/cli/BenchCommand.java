package dev.mlp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlp.core.config.ExperimentConfig;
import dev.mlp.core.tensor.ParallelKernels;
import dev.mlp.run.Benchmark;
import dev.mlp.run.Experiment;
import dev.mlp.run.config.ConfigException;
import java.io.PrintWriter;
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
      throw new ConfigException(
          "--warmup must be >= 0 and --repeat >= 1, got " + warmup + " and " + repeat);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter info = json ? err : out;
    Experiment x = options.prepare(err);
    ExperimentConfig cfg = x.config();
    CpuInfo cpu = CpuInfo.ofThisMachine();
    info.printf(
        "%s: %s, batch %d, %s%n",
        cfg.name(), options.config, cfg.training().batchSize(), x.kernels());
    info.printf("cpu: %s%n", cpu);
    info.flush();
    Benchmark b =
        Benchmark.run(
            x,
            warmup,
            repeat,
            line -> {
              info.println(line);
              info.flush();
            });
    if (json) {
      out.println(json(b, x, cpu));
    } else {
      out.printf("threads: %d (%s)%n", x.kernels().threads(), x.kernels());
      if (x.kernels() instanceof ParallelKernels p && p.pool().soloChoices() > 0) {
        out.printf(
            "           one thread measured as fast as %d in %d of this run's %d timing rounds"
                + " (warm-up included; a busy machine, or products too small to share): those"
                + " stretches ran on one thread%n",
            p.pool().threads(), p.pool().soloChoices(), p.pool().choices());
      }
      out.printf(
          "train:     %.3f s/epoch (median of %d)  %,.0f samples/s  %.1f GFLOP/s%n",
          b.trainSeconds(), repeat, b.trainSamplesPerSecond(), b.trainGflops());
      out.printf(
          "inference: %.1f ms for %,d samples     %,.0f samples/s  %.1f GFLOP/s%n",
          b.inferenceSeconds() * 1e3,
          b.inferenceSamples(),
          b.inferenceSamplesPerSecond(),
          b.inferenceGflops());
    }
    out.flush();
    return ExitCode.OK;
  }

  private ObjectNode json(Benchmark b, Experiment x, CpuInfo cpu) {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("config", options.config.toString());
    o.put("threads", x.kernels().threads());
    o.put("kernels", x.kernels().toString());
    o.put("batch_size", x.config().training().batchSize());
    if (x.kernels() instanceof ParallelKernels p) {
      // how often the pool's timing ran the caller alone (see the text output's note)
      o.put("one_thread_rounds", p.pool().soloChoices());
      o.put("timing_rounds", p.pool().choices());
    }
    ObjectNode c = o.putObject("cpu");
    c.put("model", cpu.model());
    c.putPOJO("vector_flags", cpu.vectorFlags());
    c.putPOJO("jvm_options", cpu.jvmOptions());
    c.put("cores", cpu.cores());
    c.put("arch", cpu.arch());
    c.put("java", cpu.java());
    ObjectNode t = o.putObject("train");
    t.put("seconds_per_epoch", b.trainSeconds());
    t.put("samples_per_second", b.trainSamplesPerSecond());
    t.put("gflops", b.trainGflops());
    t.put("epochs_measured", repeat);
    t.putPOJO("epoch_seconds", b.epochSeconds());
    ObjectNode i = o.putObject("inference");
    i.put("seconds", b.inferenceSeconds());
    i.put("samples", b.inferenceSamples());
    i.put("samples_per_second", b.inferenceSamplesPerSecond());
    i.put("gflops", b.inferenceGflops());
    return o;
  }
}
