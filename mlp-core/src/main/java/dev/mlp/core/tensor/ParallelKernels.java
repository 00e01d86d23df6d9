package dev.mlp.core.tensor;

import dev.mlp.core.parallel.WorkerPool;

/**
 * {@link VectorKernels} spread over a {@link WorkerPool}. Each product is cut into slices of C made
 * of whole register blocks, so no element is computed differently from one thread to another:
 * results are the same bits for any thread count. Products too small to be worth a hand-off run on
 * the caller.
 *
 * <p>A linear layer's weight W [out, in] is cut the same way in all three places it is touched —
 * its rows, in blocks of {@link VectorKernels#MR}: the forward product X·Wᵀ by columns of Y (= rows
 * of W), the gradient dYᵀ·X by rows of dW, and the update by rows of W. The pool gives a chunk to
 * the same thread each time, so each thread keeps its own rows of W and dW in its own core's cache
 * and no cache line of them is written by two threads.
 */
public final class ParallelKernels implements Kernels {
  /** Below this many multiply-adds a product runs on the calling thread. */
  static final long MIN_PARALLEL_WORK = 1 << 16;

  /** Below this many elements, element-wise work ({@link #slices}) runs on the calling thread. */
  static final int MIN_PARALLEL_ELEMENTS = 1 << 14;

  /** Element-wise work is cut at multiples of this many elements (a whole number of vectors). */
  static final int SLICE = 64;

  /**
   * An element of element-wise work counted as this many multiply-adds when the pool compares its
   * ways of running (a sigmoid's element costs about as much as 16 of a product's).
   */
  static final int ELEMENT_WORK = 16;

  /** Rows of W per block: the unit every W-shaped job is cut in. */
  static final int ROWS = VectorKernels.CUT;

  private final WorkerPool pool;
  private final int maxChunks;
  private final Product product = new Product();
  private final Pack pack = new Pack();
  private final Forward forward = new Forward();
  private final Update update = new Update();
  private final Gather gather = new Gather();
  private final ColumnPack columnPack = new ColumnPack();
  private final Slices slices = new Slices();
  private float[] packed = new float[0];
  private float[] packedColumns = new float[0];

  public ParallelKernels(WorkerPool pool) {
    this.pool = pool;
    this.maxChunks = Math.min(WorkerPool.MAX_CHUNKS, 4 * pool.threads());
  }

  @Override
  public int threads() {
    return pool.threads();
  }

  public WorkerPool pool() {
    return pool;
  }

  private boolean serial(long work) {
    return work < MIN_PARALLEL_WORK || pool.threads() == 1;
  }

  /** Chunks to cut {@code extent} into, in blocks of {@code width} ({@link #edge}). */
  private int chunks(int extent, int width) {
    return Math.max(1, Math.min(extent / width, maxChunks));
  }

  /**
   * Start of slice {@code chunk} of {@code chunks} over {@code extent}: whole blocks of {@code
   * width}, spread evenly, the rows past the last whole block joining the last slice. So no slice
   * is a stub of fewer than {@code width} rows: W's rows cut in 4s left 10 rows (a 10-class output
   * layer) as 4 + 4 + 2, and the 2 ran as single rows, 2 accumulators each, a quarter of the FMA
   * units' rate; now they are 4 + 6.
   */
  static int edge(int chunk, int chunks, int extent, int width) {
    if (chunk >= chunks) {
      return extent;
    }
    int blocks = Math.max(1, extent / width);
    return Math.min(extent, (int) ((long) chunk * blocks / chunks) * width);
  }

  @Override
  public void matmul(float[] a, float[] b, float[] c, int m, int n, int k) {
    if (serial((long) m * n * k)) {
      VectorKernels.INSTANCE.matmul(a, b, c, m, n, k);
      return;
    }
    // an input gradient dY·W: slices of columns of C, in whole panels
    product.set(a, b, c, m, n, k, false);
    pool.run(product, product.chunks, (long) m * n * k);
  }

  @Override
  public void matmulTransA(float[] a, float[] b, float[] c, int m, int n, int k) {
    if (serial((long) m * n * k)) {
      VectorKernels.INSTANCE.matmulTransA(a, b, c, m, n, k);
      return;
    }
    // a weight gradient dYᵀ·X: X's column panels packed once, by all threads (up to
    // VectorKernels.PANEL_GROUP of them at a time), then slices of rows of C = rows of W, each
    // thread reading every panel (each slice packing all of X for itself copied it 4 × threads
    // times a step)
    int panels = (n + VectorKernels.NR - 1) / VectorKernels.NR;
    product.set(a, b, c, m, n, k, true);
    for (int p0 = 0; p0 < panels; p0 += VectorKernels.PANEL_GROUP) {
      int p1 = Math.min(panels, p0 + VectorKernels.PANEL_GROUP);
      packedColumns =
          VectorKernels.atLeast(packedColumns, VectorKernels.columnPanelsSize(p1 - p0, k));
      columnPack.set(b, n, k, p0, p1);
      pool.run(columnPack, columnPack.chunks, (long) (p1 - p0) * VectorKernels.NR * k);
      product.panels(p0, p1);
      pool.run(product, product.chunks, (long) m * (p1 - p0) * VectorKernels.NR * k);
    }
  }

  @Override
  public void matmulTransB(float[] a, float[] b, float[] bias, float[] c, int m, int n, int k) {
    if (serial((long) m * n * k)) {
      VectorKernels.INSTANCE.matmulTransB(a, b, bias, c, m, n, k);
      return;
    }
    // a forward pass X·Wᵀ, VectorKernels.FORWARD_ROWS rows of X at a time: their panels packed
    // by all threads, then slices of columns of C = rows of W, each thread reading every panel
    for (int r0 = 0; r0 < m; r0 += VectorKernels.FORWARD_ROWS) {
      int rows = Math.min(VectorKernels.FORWARD_ROWS, m - r0);
      packed = VectorKernels.atLeast(packed, VectorKernels.packedSize(rows, k));
      pack.set(a, r0 * k, rows, k);
      pool.run(pack, pack.chunks, (long) rows * k);
      forward.set(b, bias, c, r0 * n, rows, n, k);
      pool.run(forward, forward.chunks, (long) rows * n * k);
    }
  }

  @Override
  public void axpy(float alpha, float[] x, float[] y, int rows, int cols) {
    if (serial((long) rows * cols * 4) || rows < 2 * ROWS) {
      Kernels.axpyRange(alpha, x, y, rows, cols, 0, cols);
      return;
    }
    // an update of W: slices of its rows, as in the two products above
    update.set(alpha, x, y, rows, cols);
    pool.run(update, update.chunks, (long) rows * cols);
  }

  @Override
  public void gatherRows(float[] src, int[] order, int from, int rows, int d, float[] dst) {
    gather(src, null, 0f, order, from, rows, d, dst);
  }

  @Override
  public void gatherUnsignedBytes(
      byte[] src, float divisor, int[] order, int from, int rows, int d, float[] dst) {
    gather(null, src, divisor, order, from, rows, d, dst);
  }

  /** A gather of rows of floats, or (when {@code floats} is null) of bytes over a divisor. */
  private void gather(
      float[] floats,
      byte[] bytes,
      float divisor,
      int[] order,
      int from,
      int rows,
      int d,
      float[] dst) {
    gather.set(floats, bytes, divisor, order, from, rows, d, dst);
    if ((long) rows * d < MIN_PARALLEL_WORK / 4 || pool.threads() == 1) {
      gather.range(0, rows);
      return;
    }
    pool.run(gather, gather.chunks, (long) rows * d);
  }

  @Override
  public void slices(int n, Slice slice) {
    if (n < MIN_PARALLEL_ELEMENTS || pool.threads() == 1) {
      slice.run(0, n);
      return;
    }
    slices.set(n, slice);
    try {
      pool.run(slices, slices.chunks, (long) n * ELEMENT_WORK);
    } finally {
      slices.slice = null;
    }
  }

  /** {@link #slices}: element-wise work cut into runs of whole vectors. */
  private final class Slices implements WorkerPool.Job {
    Slice slice;
    int n;
    int chunks;

    void set(int n, Slice slice) {
      this.n = n;
      this.slice = slice;
      this.chunks = chunks(n, SLICE);
    }

    @Override
    public void run(int chunk) {
      slice.run(edge(chunk, chunks, n, SLICE), edge(chunk + 1, chunks, n, SLICE));
    }
  }

  /** {@link #gatherRows} and {@link #gatherUnsignedBytes} by slices of rows. */
  private final class Gather implements WorkerPool.Job {
    float[] floats;
    byte[] bytes;
    float divisor;
    int[] order;
    int from;
    int rows;
    int d;
    float[] dst;
    int chunks;

    void set(
        float[] floats,
        byte[] bytes,
        float divisor,
        int[] order,
        int from,
        int rows,
        int d,
        float[] dst) {
      this.floats = floats;
      this.bytes = bytes;
      this.divisor = divisor;
      this.order = order;
      this.from = from;
      this.rows = rows;
      this.d = d;
      this.dst = dst;
      this.chunks = chunks(rows, ROWS);
    }

    @Override
    public void run(int chunk) {
      range(edge(chunk, chunks, rows, ROWS), edge(chunk + 1, chunks, rows, ROWS));
    }

    void range(int r0, int r1) {
      if (floats != null) {
        Kernels.gatherRange(floats, order, from, d, dst, r0, r1);
      } else {
        VectorKernels.gatherBytesRange(bytes, divisor, order, from, d, dst, r0, r1);
      }
    }
  }

  private final class Product implements WorkerPool.Job {
    float[] a;
    float[] b;
    float[] c;
    int m;
    int n;
    int k;
    boolean transA;
    int chunks;
    int p0;
    int p1;

    /** For Aᵀ·B: the column panels of B packed now. */
    void panels(int p0, int p1) {
      this.p0 = p0;
      this.p1 = p1;
    }

    void set(float[] a, float[] b, float[] c, int m, int n, int k, boolean transA) {
      this.a = a;
      this.b = b;
      this.c = c;
      this.m = m;
      this.n = n;
      this.k = k;
      this.transA = transA;
      this.chunks = transA ? chunks(m, ROWS) : chunks(n, VectorKernels.NR);
    }

    @Override
    public void run(int chunk) {
      VectorKernels.Scratch s = VectorKernels.scratch();
      if (transA) {
        int i0 = edge(chunk, chunks, m, ROWS);
        int i1 = edge(chunk + 1, chunks, m, ROWS);
        VectorKernels.transARangePacked(a, packedColumns, p0, p1, c, i0, i1, n, k, m, s);
      } else {
        int j0 = edge(chunk, chunks, n, VectorKernels.NR);
        int j1 = edge(chunk + 1, chunks, n, VectorKernels.NR);
        VectorKernels.productRange(a, 0, b, c, 0, m, j0, j1, n, k, s);
      }
    }
  }

  private final class Pack implements WorkerPool.Job {
    float[] x;
    int x0;
    int m;
    int k;
    int chunks;

    void set(float[] x, int x0, int m, int k) {
      this.x = x;
      this.x0 = x0;
      this.m = m;
      this.k = k;
      this.chunks = chunks(VectorKernels.panels(m), 1);
    }

    @Override
    public void run(int chunk) {
      int panels = VectorKernels.panels(m);
      VectorKernels.packRowsRange(
          x, x0, m, k, packed, edge(chunk, chunks, panels, 1), edge(chunk + 1, chunks, panels, 1));
    }
  }

  private final class ColumnPack implements WorkerPool.Job {
    float[] b;
    int n;
    int k;
    int panels;
    int chunks;

    int p0;

    void set(float[] b, int n, int k, int p0, int p1) {
      this.b = b;
      this.n = n;
      this.k = k;
      this.p0 = p0;
      this.panels = p1 - p0;
      this.chunks = chunks(panels, 1);
    }

    @Override
    public void run(int chunk) {
      // each chunk packs into the same buffer, at the place of its own panels
      int from = p0 + edge(chunk, chunks, panels, 1);
      int to = p0 + edge(chunk + 1, chunks, panels, 1);
      VectorKernels.packColumnsRange(
          b, n, k, packedColumns, from, to, (from - p0) * k * VectorKernels.NR);
    }
  }

  private final class Forward implements WorkerPool.Job {
    float[] w;
    float[] bias;
    float[] c;
    int c0;
    int m;
    int n;
    int k;
    int chunks;

    void set(float[] w, float[] bias, float[] c, int c0, int m, int n, int k) {
      this.w = w;
      this.bias = bias;
      this.c = c;
      this.c0 = c0;
      this.m = m;
      this.n = n;
      this.k = k;
      this.chunks = chunks(n, ROWS);
    }

    @Override
    public void run(int chunk) {
      VectorKernels.forwardRange(
          packed,
          m,
          w,
          bias,
          c,
          c0,
          edge(chunk, chunks, n, ROWS),
          edge(chunk + 1, chunks, n, ROWS),
          n,
          k,
          VectorKernels.scratch().tile);
    }
  }

  private final class Update implements WorkerPool.Job {
    float alpha;
    float[] x;
    float[] y;
    int rows;
    int cols;
    int chunks;

    void set(float alpha, float[] x, float[] y, int rows, int cols) {
      this.alpha = alpha;
      this.x = x;
      this.y = y;
      this.rows = rows;
      this.cols = cols;
      this.chunks = chunks(rows, ROWS);
    }

    @Override
    public void run(int chunk) {
      int r0 = edge(chunk, chunks, rows, ROWS);
      int r1 = edge(chunk + 1, chunks, rows, ROWS);
      // rows r0 … r1−1 are one contiguous run of memory
      for (int i = r0 * cols, end = r1 * cols; i < end; i++) {
        y[i] += alpha * x[i];
      }
    }
  }

  @Override
  public String toString() {
    return "vector(" + VectorKernels.L + " lanes) × " + pool;
  }
}
