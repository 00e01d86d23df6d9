package dev.mlp.core.tensor;

import dev.mlp.core.parallel.WorkerPool;

/**
 * {@link VectorKernels} spread over a {@link WorkerPool}: each product is cut into slices of C
 * (whole register blocks, so no element is computed differently) that the threads claim. Every
 * element is written by exactly one thread and computed exactly as with one thread, so results are
 * the same bits for any thread count. Products too small to be worth a hand-off run on the caller.
 */
public final class ParallelKernels implements Kernels {
  /** Below this many multiply-adds a product runs on the calling thread. */
  static final long MIN_PARALLEL_WORK = 1 << 16;

  private final WorkerPool pool;
  private final int maxChunks;
  private final Broadcast broadcast = new Broadcast();
  private final Dot dot = new Dot();

  public ParallelKernels(WorkerPool pool) {
    this.pool = pool;
    this.maxChunks = 4 * pool.threads();
  }

  @Override
  public int threads() {
    return pool.threads();
  }

  public WorkerPool pool() {
    return pool;
  }

  @Override
  public void matmul(float[] a, float[] b, float[] bias, float[] c, int m, int n, int k) {
    if ((long) m * n * k < MIN_PARALLEL_WORK || pool.threads() == 1) {
      VectorKernels.broadcastRange(a, k, 1, b, bias, c, 0, m, 0, n, n, k);
      return;
    }
    // slices of columns: each thread reads only its part of B
    broadcast.set(a, k, 1, b, bias, c, m, n, k, false);
    pool.run(broadcast, broadcast.chunks);
  }

  @Override
  public void matmulTransA(float[] a, float[] b, float[] c, int m, int n, int k) {
    if ((long) m * n * k < MIN_PARALLEL_WORK || pool.threads() == 1) {
      VectorKernels.broadcastRange(a, 1, m, b, null, c, 0, m, 0, n, n, k);
      return;
    }
    // slices of rows: each thread writes its own contiguous rows of C
    broadcast.set(a, 1, m, b, null, c, m, n, k, true);
    pool.run(broadcast, broadcast.chunks);
  }

  @Override
  public void matmulTransB(float[] a, float[] b, float[] c, int m, int n, int k) {
    if ((long) m * n * k < MIN_PARALLEL_WORK || pool.threads() == 1) {
      VectorKernels.dotRange(a, b, c, 0, m, 0, n, n, k);
      return;
    }
    dot.set(a, b, c, m, n, k);
    pool.run(dot, dot.chunks);
  }

  /**
   * Start of slice {@code chunk} of {@code blocks} blocks of width {@code width}, capped at max.
   */
  static int edge(int chunk, int chunks, int blocks, int width, int max) {
    return Math.min(max, (int) ((long) chunk * blocks / chunks) * width);
  }

  private final class Broadcast implements WorkerPool.Job {
    float[] a;
    float[] b;
    float[] bias;
    float[] c;
    int aRow;
    int aCol;
    int m;
    int n;
    int k;
    boolean byRows;
    int width;
    int blocks;
    int chunks;

    void set(
        float[] a,
        int aRow,
        int aCol,
        float[] b,
        float[] bias,
        float[] c,
        int m,
        int n,
        int k,
        boolean byRows) {
      this.a = a;
      this.aRow = aRow;
      this.aCol = aCol;
      this.b = b;
      this.bias = bias;
      this.c = c;
      this.m = m;
      this.n = n;
      this.k = k;
      this.byRows = byRows;
      this.width = byRows ? 4 : 2 * VectorKernels.L;
      int extent = byRows ? m : n;
      this.blocks = (extent + width - 1) / width;
      this.chunks = Math.max(1, Math.min(blocks, maxChunks));
    }

    @Override
    public void run(int chunk) {
      if (byRows) {
        int i0 = edge(chunk, chunks, blocks, width, m);
        int i1 = edge(chunk + 1, chunks, blocks, width, m);
        VectorKernels.broadcastRange(a, aRow, aCol, b, bias, c, i0, i1, 0, n, n, k);
      } else {
        int j0 = edge(chunk, chunks, blocks, width, n);
        int j1 = edge(chunk + 1, chunks, blocks, width, n);
        VectorKernels.broadcastRange(a, aRow, aCol, b, bias, c, 0, m, j0, j1, n, k);
      }
    }
  }

  private final class Dot implements WorkerPool.Job {
    float[] a;
    float[] b;
    float[] c;
    int m;
    int n;
    int k;
    int blocks;
    int chunks;

    void set(float[] a, float[] b, float[] c, int m, int n, int k) {
      this.a = a;
      this.b = b;
      this.c = c;
      this.m = m;
      this.n = n;
      this.k = k;
      this.blocks = (n + 1) / 2;
      this.chunks = Math.max(1, Math.min(blocks, maxChunks));
    }

    @Override
    public void run(int chunk) {
      int j0 = edge(chunk, chunks, blocks, 2, n);
      int j1 = edge(chunk + 1, chunks, blocks, 2, n);
      VectorKernels.dotRange(a, b, c, 0, m, j0, j1, n, k);
    }
  }

  @Override
  public String toString() {
    return "vector(" + VectorKernels.L + " lanes) × " + pool;
  }
}
