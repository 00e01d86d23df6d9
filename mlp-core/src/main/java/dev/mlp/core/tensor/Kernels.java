package dev.mlp.core.tensor;

/**
 * The dense products every layer is built on. All arrays are row-major; every method overwrites
 * {@code c} (it never accumulates into it). Implementations must be deterministic: the same inputs
 * give the same bits, whatever the thread count.
 */
public interface Kernels {

  /** C[m×n] = A[m×k] · B[k×n] — an input gradient (dY · W, W stored [out, in]). */
  void matmul(float[] a, float[] b, float[] c, int m, int n, int k);

  /** C[m×n] = A[k×m]ᵀ · B[k×n] — a weight gradient (dYᵀ · X). */
  void matmulTransA(float[] a, float[] b, float[] c, int m, int n, int k);

  /**
   * C[m×n] = A[m×k] · B[n×k]ᵀ (+ bias[n] added to every row when {@code bias} is not null) — a
   * linear layer's forward pass, X · Wᵀ + b.
   */
  void matmulTransB(float[] a, float[] b, float[] bias, float[] c, int m, int n, int k);

  /**
   * Y[rows×cols] += alpha · X[rows×cols] — a parameter update. Parallel kernels split it by columns
   * exactly as they split a product of the same width, so a thread updates the slice of a weight
   * matrix it computed.
   */
  default void axpy(float alpha, float[] x, float[] y, int rows, int cols) {
    axpyRange(alpha, x, y, rows, cols, 0, cols);
  }

  /** Columns [j0, j1) of {@link #axpy}. */
  static void axpyRange(float alpha, float[] x, float[] y, int rows, int cols, int j0, int j1) {
    for (int r = 0; r < rows; r++) {
      int base = r * cols;
      for (int i = base + j0, end = base + j1; i < end; i++) {
        y[i] += alpha * x[i];
      }
    }
  }

  /**
   * Copies rows {@code order[from]}, {@code order[from + 1]}, … of {@code src} (rows of width d)
   * into the first {@code rows} rows of {@code dst}: a shuffled mini-batch. Parallel kernels split
   * it by rows, so each core fetches part of the batch from memory.
   */
  default void gatherRows(float[] src, int[] order, int from, int rows, int d, float[] dst) {
    gatherRange(src, order, from, d, dst, 0, rows);
  }

  /** Rows [r0, r1) of {@link #gatherRows}. */
  static void gatherRange(float[] src, int[] order, int from, int d, float[] dst, int r0, int r1) {
    for (int r = r0; r < r1; r++) {
      System.arraycopy(src, order[from + r] * d, dst, r * d, d);
    }
  }

  /**
   * {@link #gatherRows} of rows of unsigned bytes: element {@code b} becomes {@code (b & 0xFF) /
   * divisor}, the float a division by {@code divisor} rounds to (so the same bits however the work
   * is split or vectorised).
   */
  default void gatherUnsignedBytes(
      byte[] src, float divisor, int[] order, int from, int rows, int d, float[] dst) {
    gatherBytesRange(src, divisor, order, from, d, dst, 0, rows);
  }

  /** Rows [r0, r1) of {@link #gatherUnsignedBytes}, one element at a time. */
  static void gatherBytesRange(
      byte[] src, float divisor, int[] order, int from, int d, float[] dst, int r0, int r1) {
    for (int r = r0; r < r1; r++) {
      int s = order[from + r] * d;
      int o = r * d;
      for (int j = 0; j < d; j++) {
        dst[o + j] = (src[s + j] & 0xFF) / divisor;
      }
    }
  }

  /** Element-wise work: elements from … to−1 of some arrays, each computed on its own. */
  @FunctionalInterface
  interface Slice {
    void run(int from, int to);
  }

  /**
   * Runs {@code slice} over elements 0 … n−1: here all at once; {@link ParallelKernels} cuts a
   * large n between its threads, at multiples of 64 elements. The slice must compute every element
   * the same way wherever a cut falls (so results stay the same bits for any thread count).
   */
  default void slices(int n, Slice slice) {
    slice.run(0, n);
  }

  /** Threads these kernels compute with. */
  default int threads() {
    return 1;
  }

  /** The kernels the layers use unless told otherwise: the fastest available, one thread. */
  static Kernels defaults() {
    return VectorSupport.available() ? VectorKernels.INSTANCE : ScalarKernels.INSTANCE;
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
    if (!VectorSupport.available()) {
      return ScalarKernels.INSTANCE;
    }
    return threads == 1
        ? VectorKernels.INSTANCE
        : new ParallelKernels(new dev.mlp.core.parallel.WorkerPool(threads));
  }
}
