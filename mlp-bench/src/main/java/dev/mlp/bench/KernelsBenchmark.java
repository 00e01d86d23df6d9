package dev.mlp.bench;

import dev.mlp.core.parallel.WorkerPool;
import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.tensor.ParallelKernels;
import dev.mlp.core.tensor.ScalarKernels;
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
 * The three products of a linear layer, at the seed's first layer (batch 32, 784 → 128) and at a
 * wide layer (batch 256, 1024 → 1024). FLOPs per call = 2·batch·in·out.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class KernelsBenchmark {
  @Param({"32x784x128", "256x1024x1024"})
  public String shape;

  @Param({"scalar", "vector", "vector-2-threads"})
  public String kernels;

  private Kernels k;
  private WorkerPool pool;
  private int batch;
  private int in;
  private int out;
  private float[] x;
  private float[] w;
  private float[] b;
  private float[] y;
  private float[] dy;
  private float[] dw;
  private float[] dx;

  @Setup(Level.Trial)
  public void setUp() {
    String[] s = shape.split("x");
    batch = Integer.parseInt(s[0]);
    in = Integer.parseInt(s[1]);
    out = Integer.parseInt(s[2]);
    switch (kernels) {
      case "scalar" -> k = ScalarKernels.INSTANCE;
      case "vector" -> k = VectorKernels.INSTANCE;
      default -> {
        pool = new WorkerPool(2);
        k = new ParallelKernels(pool);
      }
    }
    Rng rng = new Rng(1);
    x = random(rng, batch * in);
    w = random(rng, out * in);
    b = random(rng, out);
    dy = random(rng, batch * out);
    y = new float[batch * out];
    dw = new float[out * in];
    dx = new float[batch * in];
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (pool != null) {
      pool.close();
    }
  }

  static float[] random(Rng rng, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rng.nextGaussian();
    }
    return v;
  }

  /** Y = X·Wᵀ + b. */
  @Benchmark
  public float[] forward() {
    k.matmulTransB(x, w, b, y, batch, out, in);
    return y;
  }

  /** dW = dYᵀ·X. */
  @Benchmark
  public float[] weightGradient() {
    k.matmulTransA(dy, x, dw, out, in, batch);
    return dw;
  }

  /** dX = dY·W. */
  @Benchmark
  public float[] inputGradient() {
    k.matmul(dy, w, dx, batch, in, out);
    return dx;
  }
}
