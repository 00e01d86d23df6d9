package dev.mlp.core.tensor;

/**
 * The dense products every layer is built on. All arrays are row-major; every method overwrites
 * {@code c} (it never accumulates into it). Implementations must be deterministic: the same inputs
 * give the same bits, whatever the thread count.
 */
public interface Kernels {

  /**
   * C[m×n] = A[m×k] · B[k×n] (+ bias[n] added to every row when {@code bias} is not null) — a
   * linear layer's forward pass with its weights stored as [in, out].
   */
  void matmul(float[] a, float[] b, float[] bias, float[] c, int m, int n, int k);

  /** C[m×n] = A[k×m]ᵀ · B[k×n] — a weight gradient (Xᵀ · dY). */
  void matmulTransA(float[] a, float[] b, float[] c, int m, int n, int k);

  /** C[m×n] = A[m×k] · B[n×k]ᵀ — an input gradient (dY · Wᵀ). */
  void matmulTransB(float[] a, float[] b, float[] c, int m, int n, int k);

  /** Threads these kernels compute with. */
  default int threads() {
    return 1;
  }

  /** The kernels the layers use unless told otherwise: the fastest available, one thread. */
  static Kernels defaults() {
    return VectorKernels.available() ? VectorKernels.INSTANCE : ScalarKernels.INSTANCE;
  }

  /**
   * The fastest kernels available for {@code threads} threads: the Vector API kernels, spread over
   * a new {@link dev.mlp.core.parallel.WorkerPool} when threads &gt; 1; the scalar reference when
   * the JVM was started without {@code --add-modules jdk.incubator.vector}.
   */
  static Kernels forThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    if (!VectorKernels.available()) {
      return ScalarKernels.INSTANCE;
    }
    return threads == 1
        ? VectorKernels.INSTANCE
        : new ParallelKernels(new dev.mlp.core.parallel.WorkerPool(threads));
  }
}
