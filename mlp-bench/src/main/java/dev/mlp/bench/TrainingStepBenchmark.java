package dev.mlp.bench;

import com.google.inject.Guice;
import dev.mlp.core.CoreModule;
import dev.mlp.core.config.LayerSpec;
import dev.mlp.core.config.ModelSpec;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.optim.Optimizer;
import dev.mlp.core.optim.Sgd;
import dev.mlp.core.parallel.WorkerPool;
import dev.mlp.core.random.Rng;
import dev.mlp.core.registry.ModelBuilder;
import dev.mlp.core.registry.Registry;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.tensor.ParallelKernels;
import dev.mlp.core.tensor.Tensor;
import dev.mlp.layers.LayersModule;
import dev.mlp.layers.LinearSpec;
import dev.mlp.layers.SigmoidSpec;
import dev.mlp.layers.SoftmaxCrossEntropySpec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of the seed network (784 → 128 sigmoid → 10, batch 32): forward, loss,
 * backward, SGD update. Run with {@code -prof gc} to see that a warm step allocates nothing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TrainingStepBenchmark {
  @Param({"1", "2"})
  public int threads;

  private WorkerPool pool;
  private Sequential model;
  private Optimizer sgd;
  private Tensor batch;
  private int[] labels;

  @Setup(Level.Trial)
  public void setUp() {
    Kernels kernels;
    if (threads == 1) {
      kernels = Kernels.forThreads(1);
    } else {
      pool = new WorkerPool(threads);
      kernels = new ParallelKernels(pool);
    }
    Registry registry =
        Guice.createInjector(new CoreModule(), new LayersModule()).getInstance(Registry.class);
    List<LayerSpec> layers =
        List.of(
            new LinearSpec(128),
            new SigmoidSpec(),
            new LinearSpec(10),
            new SoftmaxCrossEntropySpec());
    model = new ModelBuilder(registry, kernels).build(new ModelSpec(784, layers), 784, 10, 42);
    sgd = new Sgd(0.01, kernels);
    Rng rng = new Rng(7);
    batch = new Tensor(32, 784);
    for (int i = 0; i < batch.size(); i++) {
      batch.data()[i] = rng.nextFloat(); // pixel/255-like values
    }
    labels = new int[32];
    for (int i = 0; i < 32; i++) {
      labels[i] = rng.nextInt(10);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (pool != null) {
      pool.close();
    }
  }

  @Benchmark
  public double step() {
    model.loss().setTargets(labels);
    model.forward(batch, Mode.TRAIN);
    model.backward();
    sgd.step(model.parameters());
    return model.loss().loss();
  }
}
