package dev.mlp.bench;

import dev.mlp.core.data.Dataset;
import dev.mlp.core.parallel.WorkerPool;
import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.tensor.ParallelKernels;
import dev.mlp.core.tensor.VectorKernels;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Gathering the seed's shuffled mini-batches (32 rows of 784) from an MNIST-sized training set of
 * 60,000 rows, kept as floats or as the IDX file's unsigned bytes ({@link Dataset#unsignedBytes}):
 * µs per batch, averaged over a whole epoch's order, so the rows come from all over the set as they
 * do in training.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GatherBenchmark {
  private static final int ROWS = 60_000;
  private static final int FEATURES = 784;
  private static final int BATCH = 32;

  @Param({"floats", "bytes"})
  public String features;

  @Param({"vector", "vector-2-threads"})
  public String kernels;

  private Kernels k;
  private WorkerPool pool;
  private Dataset data;
  private int[] order;
  private float[] batch;
  private int from;

  @Setup(Level.Trial)
  public void setUp() {
    if ("vector".equals(kernels)) {
      k = VectorKernels.INSTANCE;
    } else {
      pool = new WorkerPool(2);
      k = new ParallelKernels(pool);
    }
    Rng rng = new Rng(1);
    byte[] pixels = new byte[ROWS * FEATURES];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) rng.nextInt(256);
    }
    int[] labels = new int[ROWS];
    Dataset bytes = Dataset.unsignedBytes("bench", pixels, 255f, labels, FEATURES, 10);
    data =
        "bytes".equals(features)
            ? bytes
            : new Dataset("bench", bytes.features().clone(), labels, FEATURES, 10);
    order = new int[ROWS];
    for (int i = 0; i < ROWS; i++) {
      order[i] = i;
    }
    rng.shuffle(order);
    batch = new float[BATCH * FEATURES];
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (pool != null) {
      pool.close();
    }
  }

  /** One batch, the next of the epoch's order (wrapping around). */
  @Benchmark
  public float[] gather() {
    data.gatherRows(k, order, from, BATCH, batch);
    from += BATCH;
    if (from + BATCH > ROWS) {
      from = 0;
    }
    return batch;
  }
}
