package dev.mlp.bench;

import dev.mlp.core.nn.Parameter;
import dev.mlp.core.optim.Adam;
import dev.mlp.core.optim.AdamSpec;
import dev.mlp.core.optim.AdamWSpec;
import dev.mlp.core.optim.Optimizer;
import dev.mlp.core.optim.RmsProp;
import dev.mlp.core.optim.RmsPropSpec;
import dev.mlp.core.optim.Sgd;
import dev.mlp.core.optim.SgdSpec;
import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Kernels;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One optimizer step over the seed network's parameters (784 → 128 → 10: 101,770 values), on one
 * thread. Every optimizer steps first, so code they share has seen all of them before the one
 * measured. Run with {@code -prof gc} to see that a warm step allocates nothing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class OptimizersBenchmark {
  private static final List<String> TYPES =
      List.of("sgd", "sgd-momentum", "adam", "adamw", "rmsprop");

  @Param({"sgd", "sgd-momentum", "adam", "adamw", "rmsprop"})
  public String optimizer;

  private List<Parameter> parameters;
  private Optimizer step;

  @Setup(Level.Trial)
  public void setUp() {
    parameters =
        List.of(
            Parameter.matrix("weight", 128, 784),
            Parameter.vector("bias", 128),
            Parameter.matrix("weight", 10, 128),
            Parameter.vector("bias", 10));
    Rng rng = new Rng(3);
    for (Parameter p : parameters) {
      for (int i = 0; i < p.size(); i++) {
        p.value().data()[i] = (float) (0.1 * rng.nextGaussian());
        p.grad().data()[i] = (float) (0.01 * rng.nextGaussian());
      }
    }
    for (String type : TYPES) {
      Optimizer other = create(type);
      for (int i = 0; i < 2_000; i++) {
        other.step(parameters);
      }
    }
    step = create(optimizer);
  }

  private static Optimizer create(String type) {
    Kernels one = Kernels.forThreads(1);
    return switch (type) {
      case "sgd" -> new Sgd(new SgdSpec(0.01), one);
      case "sgd-momentum" -> new Sgd(new SgdSpec(0.01, 0.9, true, 1e-4), one);
      case "adam" -> new Adam(new AdamSpec(null, null, null, null, 1e-4));
      case "adamw" -> new Adam(new AdamWSpec(null, null, null, null, null));
      case "rmsprop" -> new RmsProp(new RmsPropSpec(null, null, null, 1e-4));
      default -> throw new IllegalArgumentException(type);
    };
  }

  @Benchmark
  public List<Parameter> step() {
    step.step(parameters);
    return parameters;
  }
}
