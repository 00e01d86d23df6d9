package dev.mlp.core.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked kernels on the JDK's Vector API ({@code jdk.incubator.vector}).
 *
 * <p>All three products run one micro-kernel: {@link #MR} rows of a row-major matrix times a packed
 * panel of {@link #NR} = 2 vectors of columns, 2·MR accumulators held in registers while the loop
 * walks the shared dimension p; each step loads the panel's two vectors for p and broadcasts the MR
 * row elements at p. The panel is a copy made for the product (of B's columns for A·B and Aᵀ·B, of
 * X's rows for a forward pass X·Wᵀ, which is computed as (W·Xᵀ)ᵀ so that W is read once and
 * broadcast from), laid out so its loads are contiguous and free of bounds checks. The loop
 * advances the panel index by {@link #NR} floats a step, which keeps C2 from unrolling it: an
 * unrolled copy loads ahead into registers the accumulators need, and spills them.
 *
 * <p>Every element of C is one chain of fused multiply-adds over p in increasing order, started at
 * zero (the bias, if any, is added at the end). How C is cut into blocks, panels, threads or lanes
 * does not enter, so the results are the same bits for any thread count and any vector width.
 *
 * <p>The {@code *Range} methods compute one slice of C; {@link ParallelKernels} hands slices to
 * threads. Each thread packs into its own scratch buffers, which grow to the largest product seen
 * and are then reused, so a training step allocates nothing.
 */
public final class VectorKernels implements Kernels {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int L = S.length();

  /**
   * Rows of a block that broadcasts from a row-major matrix ({@link #block6}: the forward pass's
   * rows of W, the input gradient's rows of dY): 6 at every width, 12 accumulators, 2 panel vectors
   * and a broadcast. On 16 vector registers (AVX2, 128-bit) that fits with one to spare; the block
   * has one compiled copy of its own (too big to inline), which in 8 and 10 launches (AVX2,
   * 2026-12-04) never spilled, and runs the forward pass 256×1024×1024 at 6.1–6.7 ms against
   * 8.3–8.7 with 4 rows and 7.1–8.3 with 5 (JMH, 1 thread).
   */
  static final int MR = 6;

  /**
   * Rows of a block of the weight gradient, read from rows packed by {@link #packBlocks} ({@link
   * #packed6}, {@link #packed5}): 6 with 32 vector registers (AVX-512), 5 with 16 (AVX2, SSE). C2
   * compiles this one inside its caller, where 12 accumulators on 16 registers made it spill in
   * some launches and not others (the seed at 0.41 or 0.48–0.50 s/epoch on 1 thread, AVX2); 10
   * leave three registers free.
   */
  static final int MR_PACKED = L >= 16 ? 6 : 5;

  /**
   * The rows of W every W-shaped job is cut in between threads (the forward pass, the weight
   * gradient, the update: a thread keeps the same rows of W in all three): 6 on AVX-512, 4 on
   * narrower vectors, a size every range of rows splits into without a 1-row block left over (see
   * {@link #height}).
   */
  static final int CUT = L >= 16 ? 6 : 4;

  /** Columns of a packed panel: two vectors. */
  static final int NR = 2 * L;

  /**
   * Rows of X a forward pass packs and multiplies at a time: the packed copy, which the thread
   * keeps for its next product, stays at 256 rows (0.8 MB for 784 inputs) however large the batch
   * (an evaluation batch holds up to 2²⁰ rows). A multiple of every NR.
   */
  static final int FORWARD_ROWS = 256;

  /** Packed panels of the forward pass read together, about 192 KB: they stay in L2. */
  private static final int FORWARD_GROUP_FLOATS = 48 * 1024;

  public static final VectorKernels INSTANCE = new VectorKernels();

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private VectorKernels() {}

  /** Whether the Vector API module is present in this JVM (the launcher adds it). */
  public static boolean available() {
    return VectorSupport.available();
  }

  /** Lanes per vector on this machine (8 with AVX2, 16 with AVX-512). */
  public static int lanes() {
    return L;
  }

  /** One thread's packing buffers. */
  static final class Scratch {
    private float[] panel = new float[0];
    private float[] rows = new float[0];
    private float[] packed = new float[0];
    final float[] tile = new float[MR * NR];

    float[] panel(int size) {
      return panel = atLeast(panel, size);
    }

    float[] rows(int size) {
      return rows = atLeast(rows, size);
    }

    float[] packed(int size) {
      return packed = atLeast(packed, size);
    }
  }

  /** {@code buffer}, or a new one of {@code size} floats if it is smaller. */
  static float[] atLeast(float[] buffer, int size) {
    return buffer.length < size ? new float[size] : buffer;
  }

  static Scratch scratch() {
    return SCRATCH.get();
  }

  /**
   * Bytes loaded at a time by {@link #gatherBytesRange}: one float vector's worth, but at least the
   * smallest byte vector (64 bits), whose bytes then fill {@link #BYTE_PARTS} float vectors. Null
   * on a vector size with no such byte vector (a width that is not a power of two, as ARM's SVE
   * allows): the gather then converts one byte at a time.
   */
  private static final VectorSpecies<Byte> BYTES = byteSpecies();

  private static final VectorSpecies<Integer> INTS =
      IntVector.SPECIES_PREFERRED.withShape(S.vectorShape());
  private static final int BYTE_PARTS = BYTES == null ? 1 : BYTES.length() / L;

  private static VectorSpecies<Byte> byteSpecies() {
    int bits = Math.max(64, 8 * L);
    if (Integer.bitCount(bits) != 1 || bits > 512) {
      return null;
    }
    return ByteVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(bits));
  }

  @Override
  public void gatherUnsignedBytes(
      byte[] src, float divisor, int[] order, int from, int rows, int d, float[] dst) {
    gatherBytesRange(src, divisor, order, from, d, dst, 0, rows);
  }

  /**
   * Rows [r0, r1) of {@link Kernels#gatherUnsignedBytes}: each vector of bytes widened to ints,
   * masked to their unsigned value, converted to floats (exactly: they are below 2²⁴) and divided,
   * the same IEEE division as the scalar loop's, so the same bits.
   */
  static void gatherBytesRange(
      byte[] src, float divisor, int[] order, int from, int d, float[] dst, int r0, int r1) {
    if (BYTES == null) {
      Kernels.gatherBytesRange(src, divisor, order, from, d, dst, r0, r1);
      return;
    }
    int step = BYTES.length();
    for (int r = r0; r < r1; r++) {
      int s = order[from + r] * d;
      int o = r * d;
      int j = 0;
      for (; j <= d - step; j += step) {
        ByteVector b = ByteVector.fromArray(BYTES, src, s + j);
        for (int part = 0; part < BYTE_PARTS; part++) {
          IntVector i = (IntVector) b.convertShape(VectorOperators.B2I, INTS, part);
          FloatVector f = (FloatVector) i.and(0xFF).convertShape(VectorOperators.I2F, S, 0);
          f.div(divisor).intoArray(dst, o + j + part * L);
        }
      }
      for (; j < d; j++) {
        dst[o + j] = (src[s + j] & 0xFF) / divisor;
      }
    }
  }

  @Override
  public void matmul(float[] a, float[] b, float[] c, int m, int n, int k) {
    productRange(a, 0, b, c, 0, m, 0, n, n, k, scratch());
  }

  @Override
  public void matmulTransA(float[] a, float[] b, float[] c, int m, int n, int k) {
    // as ParallelKernels does it (so a one-thread warm-up compiles the same code): B's column
    // panels packed first, then every row of C
    Scratch s = scratch();
    int panels = (n + NR - 1) / NR;
    for (int p0 = 0; p0 < panels; p0 += PANEL_GROUP) {
      int p1 = Math.min(panels, p0 + PANEL_GROUP);
      float[] packed = s.panel(columnPanelsSize(p1 - p0, k));
      packColumnsRange(b, n, k, packed, p0, p1, 0);
      transARangePacked(a, packed, p0, p1, c, 0, m, n, k, m, s);
    }
  }

  @Override
  public void matmulTransB(float[] a, float[] b, float[] bias, float[] c, int m, int n, int k) {
    Scratch s = scratch();
    for (int r0 = 0; r0 < m; r0 += FORWARD_ROWS) {
      int rows = Math.min(FORWARD_ROWS, m - r0);
      float[] xp = s.packed(packedSize(rows, k));
      packRowsRange(a, r0 * k, rows, k, xp, 0, panels(rows));
      forwardRange(xp, rows, b, bias, c, r0 * n, 0, n, n, k, s.tile);
    }
  }

  // ---- A·B and Aᵀ·B -------------------------------------------------------------------------

  /**
   * C[i][j] = Σ_p A[i][p] · B[p][j] for i in [i0, i1), j in [j0, j1), where row i of A starts at
   * a[aOff + (i − i0)·k]. j0 is a multiple of {@link #NR} or j1 = n.
   */
  static void productRange(
      float[] a,
      int aOff,
      float[] b,
      float[] c,
      int i0,
      int i1,
      int j0,
      int j1,
      int n,
      int k,
      Scratch s) {
    float[] panel = s.panel(floats((long) k * NR));
    for (int j = j0; j < j1; j += NR) {
      int w = Math.min(NR, j1 - j);
      packColumns(b, n, j, w, k, panel, 0);
      rowBlocks(a, aOff, i1 - i0, k, panel, 0, w, c, i0 * n + j, n, s.tile);
    }
  }

  /**
   * Column panels of B packed at a time for Aᵀ·B: the packing buffer holds at most this many (1,024
   * columns on AVX2, 4 MB for a batch of 1,024), not a copy of all of a wide B.
   */
  static final int PANEL_GROUP = 64;

  /** Floats that {@code panels} column panels of B [k, n] take ({@link #packColumnsRange}). */
  static int columnPanelsSize(int panels, int k) {
    return floats((long) panels * k * NR);
  }

  /**
   * Column panels p0 … p1−1 of B [k, n], panel p at dst[at + (p − p0)·k·NR] (as {@link
   * #packColumns}).
   */
  static void packColumnsRange(float[] b, int n, int k, float[] dst, int p0, int p1, int at) {
    for (int p = p0; p < p1; p++) {
      int j = p * NR;
      packColumns(b, n, j, Math.min(NR, n - j), k, dst, at + (p - p0) * k * NR);
    }
  }

  /**
   * Rows [i0, i1) and column panels [p0, p1) of C = Aᵀ·B, A stored [k, m], those panels of B packed
   * by {@link #packColumnsRange}: a weight gradient whose slices all read one packing of X.
   */
  static void transARangePacked(
      float[] a,
      float[] packed,
      int p0,
      int p1,
      float[] c,
      int i0,
      int i1,
      int n,
      int k,
      int m,
      Scratch s) {
    float[] at = s.rows((i1 - i0) * k);
    // rows i0 … i1−1 of Aᵀ, row i being A's column i
    packBlocks(a, i0, 1, m, i1 - i0, k, at);
    for (int p = p0; p < p1; p++) {
      int j = p * NR;
      packedBlocks(
          at, i1 - i0, k, packed, (p - p0) * k * NR, Math.min(NR, n - j), c, i0 * n + j, n, s.tile);
    }
  }

  /** panel[q0 + p·NR + c] = b[p·n + j + c] for c < w, 0 for w ≤ c < NR. */
  private static void packColumns(float[] b, int n, int j, int w, int k, float[] panel, int q0) {
    if (w == NR) {
      for (int p = 0, bp = j, q = q0; p < k; p++, bp += n, q += NR) {
        FloatVector.fromArray(S, b, bp).intoArray(panel, q);
        FloatVector.fromArray(S, b, bp + L).intoArray(panel, q + L);
      }
    } else {
      for (int p = 0, bp = j, q = q0; p < k; p++, bp += n, q += NR) {
        for (int col = 0; col < NR; col++) {
          panel[q + col] = col < w ? b[bp + col] : 0f;
        }
      }
    }
  }

  /**
   * Rows 0 … rows−1 of A (row r at a[aOff + r·k]) times a packed panel of w valid columns, into C
   * at c[c0 + r·n + col].
   */
  private static void rowBlocks(
      float[] a,
      int aOff,
      int rows,
      int k,
      float[] panel,
      int panelOff,
      int w,
      float[] c,
      int c0,
      int n,
      float[] tile) {
    // full panels write straight into C; a last, narrower one goes through the tile, and only
    // its valid columns on to C
    for (int r = 0, h; r < rows; r += h) {
      h = height(rows - r);
      if (w == NR) {
        block(h, a, aOff + r * k, k, panel, panelOff, k, c, c0 + r * n, n);
        continue;
      }
      block(h, a, aOff + r * k, k, panel, panelOff, k, tile, 0, NR);
      for (int t = 0; t < h; t++) {
        System.arraycopy(tile, t * NR, c, c0 + (r + t) * n, w);
      }
    }
  }

  /**
   * Rows 0 … rows−1 of A, packed by {@link #packBlocks}, times a packed panel of w valid columns,
   * into C at c[c0 + r·n + col].
   */
  private static void packedBlocks(
      float[] ap,
      int rows,
      int k,
      float[] panel,
      int panelOff,
      int w,
      float[] c,
      int c0,
      int n,
      float[] tile) {
    for (int r = 0, h; r < rows; r += h) {
      h = packedHeight(rows - r);
      if (w == NR) {
        packedBlock(h, ap, r * k, panel, panelOff, k, c, c0 + r * n, n);
        continue;
      }
      packedBlock(h, ap, r * k, panel, panelOff, k, tile, 0, NR);
      for (int t = 0; t < h; t++) {
        System.arraycopy(tile, t * NR, c, c0 + (r + t) * n, w);
      }
    }
  }

  /**
   * Packs rows 0 … rows−1 of A, whose element (r, p) is a[a0 + r·rs + p·ps], for {@link
   * #packedBlock}: the block of h = {@link #packedHeight} rows that starts at row r takes ap[r·k …
   * r·k + h·k − 1], its element (r + t, p) at ap[r·k + p·h + t]. The kernel then reads a block's h
   * values of one step at constant offsets from one index, so C2 checks their bounds once a step
   * instead of h times: 15–25 % faster kernels on both AVX2 and AVX-512.
   */
  static void packBlocks(float[] a, int a0, int rs, int ps, int rows, int k, float[] ap) {
    for (int r = 0, h; r < rows; r += h) {
      h = packedHeight(rows - r);
      for (int p = 0, d = r * k; p < k; p++) {
        for (int t = 0, src = a0 + r * rs + p * ps; t < h; t++) {
          ap[d++] = a[src + t * rs];
        }
      }
    }
  }

  // ---- X·Wᵀ + b -----------------------------------------------------------------------------

  /** Packed panels of NR rows each that m rows make. */
  static int panels(int m) {
    return (m + NR - 1) / NR;
  }

  /** Floats the packed rows of an m×k matrix take. */
  static int packedSize(int m, int k) {
    return floats((long) panels(m) * NR * k);
  }

  /** A buffer size that an array can have, or a clear refusal (k·NR past 2³¹ floats). */
  static int floats(long size) {
    if (size > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          "a product this large (" + size + " floats to pack) does not fit in a Java array");
    }
    return (int) size;
  }

  /**
   * Packs panels [q0, q1) of X [m, k], whose row 0 starts at x[x0]: panel q holds rows q·NR …
   * q·NR+NR−1 transposed, xp[q·NR·k + p·NR + c] = x[x0 + (q·NR + c)·k + p], rows past m as zeros.
   */
  static void packRowsRange(float[] x, int x0, int m, int k, float[] xp, int q0, int q1) {
    for (int q = q0; q < q1; q++) {
      int r0 = q * NR;
      int rows = Math.min(NR, m - r0);
      int base = q * NR * k;
      transpose(x, x0 + r0 * k, k, xp, base, NR, k, rows);
      if (rows < NR) {
        for (int p = 0; p < k; p++) {
          java.util.Arrays.fill(xp, base + p * NR + rows, base + p * NR + NR, 0f);
        }
      }
    }
  }

  /**
   * Columns [o0, o1) of C = X·Wᵀ (+ bias) for all m rows, C's row 0 at c[c0], from X's packed
   * panels: blocks of W's rows times each panel give blocks of Cᵀ, written into C's columns through
   * the tile.
   */
  static void forwardRange(
      float[] xp,
      int m,
      float[] w,
      float[] bias,
      float[] c,
      int c0,
      int o0,
      int o1,
      int n,
      int k,
      float[] tile) {
    int panels = panels(m);
    int group = Math.max(1, FORWARD_GROUP_FLOATS / Math.max(1, NR * k));
    for (int g0 = 0; g0 < panels; g0 += group) {
      int g1 = Math.min(panels, g0 + group);
      int o = o0;
      while (o < o1) {
        int h = height(o1 - o);
        for (int q = g0; q < g1; q++) {
          block(h, w, o * k, k, xp, q * NR * k, k, tile, 0, NR);
          int r0 = q * NR;
          int rows = Math.min(NR, m - r0);
          for (int t = 0; t < h; t++) {
            if (bias == null) { // not + 0f, which would turn a chain's −0 into +0
              for (int col = 0, ci = c0 + r0 * n + o + t; col < rows; col++, ci += n) {
                c[ci] = tile[t * NR + col];
              }
            } else {
              float add = bias[o + t];
              for (int col = 0, ci = c0 + r0 * n + o + t; col < rows; col++, ci += n) {
                c[ci] = tile[t * NR + col] + add;
              }
            }
          }
        }
        o += h;
      }
    }
  }

  /**
   * dst[dOff + j·dStride + i] = src[sOff + i·sStride + j] for i < rows, j < cols, in 8×8 tiles
   * (each source row read in runs, each destination row written in runs).
   */
  static void transpose(
      float[] src, int sOff, int sStride, float[] dst, int dOff, int dStride, int cols, int rows) {
    int i = 0;
    for (; i + 8 <= rows; i += 8) {
      int j = 0;
      for (; j + 8 <= cols; j += 8) {
        for (int t = 0; t < 8; t++) {
          int s = sOff + (i + t) * sStride + j;
          int d = dOff + j * dStride + i + t;
          dst[d] = src[s];
          dst[d + dStride] = src[s + 1];
          dst[d + 2 * dStride] = src[s + 2];
          dst[d + 3 * dStride] = src[s + 3];
          dst[d + 4 * dStride] = src[s + 4];
          dst[d + 5 * dStride] = src[s + 5];
          dst[d + 6 * dStride] = src[s + 6];
          dst[d + 7 * dStride] = src[s + 7];
        }
      }
      for (; j < cols; j++) {
        for (int t = 0; t < 8; t++) {
          dst[dOff + j * dStride + i + t] = src[sOff + (i + t) * sStride + j];
        }
      }
    }
    for (; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        dst[dOff + j * dStride + i] = src[sOff + i * sStride + j];
      }
    }
  }

  // ---- the micro-kernels ----------------------------------------------------------------------

  /** A block of h = 6, 4 or 1 rows (see {@link #block6}). */
  private static void block(
      int h, float[] a, int a0, int as, float[] bp, int b0, int k, float[] c, int c0, int cs) {
    if (h == 6) {
      block6(a, a0, as, bp, b0, k, c, c0, cs);
    } else if (h == 4) {
      block4(a, a0, as, bp, b0, k, c, c0, cs);
    } else {
      block1(a, a0, bp, b0, k, c, c0);
    }
  }

  /**
   * Rows of the next broadcast block ({@link #block}) when {@code left} rows are left: 6, 4 or 1,
   * chosen so that a multiple of 4 or 6 rows splits into blocks of 6 and 4 only (8 as 4 + 4, not 6
   * + 1 + 1), and any other count leaves at most one single row.
   */
  static int height(int left) {
    return left >= 10 || left == 6 || left == 7 ? 6 : left >= 4 ? 4 : 1;
  }

  /**
   * Rows of the next packed block ({@link #packedBlock}) when {@code left} rows are left: {@link
   * #MR_PACKED}, 4 or 1, likewise without single rows where blocks of MR_PACKED and 4 can cover
   * them (with 5: 12 as 4 + 4 + 4, 13 as 5 + 4 + 4).
   */
  static int packedHeight(int left) {
    if (MR_PACKED == 6) {
      return height(left);
    }
    if (fives(left - 5)) {
      return 5;
    }
    if (fives(left - 4)) {
      return 4;
    }
    return left >= 5 ? 5 : left >= 4 ? 4 : 1;
  }

  /** Whether n rows are nothing, or blocks of 5 and 4 only. */
  private static boolean fives(int n) {
    return n == 0 || n == 4 || n == 5 || n == 8 || n == 9 || n == 10 || n >= 12;
  }

  /**
   * C[c0 + r·cs + col] = Σ_p a[a0 + r·as + p] · panel[p·NR + col] for r < 6, col < NR: 12
   * accumulators. The loop's counter is the panel index, stepping NR floats (see the class note).
   */
  private static void block6(
      float[] a, int a0, int as, float[] bp, int b0, int k, float[] c, int c0, int cs) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c40 = c00;
    FloatVector c41 = c00;
    FloatVector c50 = c00;
    FloatVector c51 = c00;
    int s2 = 2 * as;
    int s3 = 3 * as;
    int s4 = 4 * as;
    int s5 = 5 * as;
    for (int q = b0, qe = b0 + k * NR, p = a0; q < qe; q += NR, p++) {
      FloatVector b0v = FloatVector.fromArray(S, bp, q);
      FloatVector b1v = FloatVector.fromArray(S, bp, q + L);
      FloatVector x = FloatVector.broadcast(S, a[p]);
      c00 = x.fma(b0v, c00);
      c01 = x.fma(b1v, c01);
      x = FloatVector.broadcast(S, a[p + as]);
      c10 = x.fma(b0v, c10);
      c11 = x.fma(b1v, c11);
      x = FloatVector.broadcast(S, a[p + s2]);
      c20 = x.fma(b0v, c20);
      c21 = x.fma(b1v, c21);
      x = FloatVector.broadcast(S, a[p + s3]);
      c30 = x.fma(b0v, c30);
      c31 = x.fma(b1v, c31);
      x = FloatVector.broadcast(S, a[p + s4]);
      c40 = x.fma(b0v, c40);
      c41 = x.fma(b1v, c41);
      x = FloatVector.broadcast(S, a[p + s5]);
      c50 = x.fma(b0v, c50);
      c51 = x.fma(b1v, c51);
    }
    c00.intoArray(c, c0);
    c01.intoArray(c, c0 + L);
    c10.intoArray(c, c0 + cs);
    c11.intoArray(c, c0 + cs + L);
    c20.intoArray(c, c0 + 2 * cs);
    c21.intoArray(c, c0 + 2 * cs + L);
    c30.intoArray(c, c0 + 3 * cs);
    c31.intoArray(c, c0 + 3 * cs + L);
    c40.intoArray(c, c0 + 4 * cs);
    c41.intoArray(c, c0 + 4 * cs + L);
    c50.intoArray(c, c0 + 5 * cs);
    c51.intoArray(c, c0 + 5 * cs + L);
  }

  /** {@link #block6} for 4 rows. */
  private static void block4(
      float[] a, int a0, int as, float[] bp, int b0, int k, float[] c, int c0, int cs) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    int s2 = 2 * as;
    int s3 = 3 * as;
    for (int q = b0, qe = b0 + k * NR, p = a0; q < qe; q += NR, p++) {
      FloatVector b0v = FloatVector.fromArray(S, bp, q);
      FloatVector b1v = FloatVector.fromArray(S, bp, q + L);
      FloatVector x = FloatVector.broadcast(S, a[p]);
      c00 = x.fma(b0v, c00);
      c01 = x.fma(b1v, c01);
      x = FloatVector.broadcast(S, a[p + as]);
      c10 = x.fma(b0v, c10);
      c11 = x.fma(b1v, c11);
      x = FloatVector.broadcast(S, a[p + s2]);
      c20 = x.fma(b0v, c20);
      c21 = x.fma(b1v, c21);
      x = FloatVector.broadcast(S, a[p + s3]);
      c30 = x.fma(b0v, c30);
      c31 = x.fma(b1v, c31);
    }
    c00.intoArray(c, c0);
    c01.intoArray(c, c0 + L);
    c10.intoArray(c, c0 + cs);
    c11.intoArray(c, c0 + cs + L);
    c20.intoArray(c, c0 + 2 * cs);
    c21.intoArray(c, c0 + 2 * cs + L);
    c30.intoArray(c, c0 + 3 * cs);
    c31.intoArray(c, c0 + 3 * cs + L);
  }

  /** {@link #block6} for 1 row. */
  private static void block1(float[] a, int a0, float[] bp, int b0, int k, float[] c, int c0) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    for (int q = b0, qe = b0 + k * NR, p = a0; q < qe; q += NR, p++) {
      FloatVector x = FloatVector.broadcast(S, a[p]);
      c00 = x.fma(FloatVector.fromArray(S, bp, q), c00);
      c01 = x.fma(FloatVector.fromArray(S, bp, q + L), c01);
    }
    c00.intoArray(c, c0);
    c01.intoArray(c, c0 + L);
  }

  /** A block of h = 6, 5, 4 or 1 rows packed by {@link #packBlocks}, starting at ap[a0]. */
  private static void packedBlock(
      int h, float[] ap, int a0, float[] bp, int b0, int k, float[] c, int c0, int cs) {
    if (h == 6) {
      packed6(ap, a0, bp, b0, k, c, c0, cs);
    } else if (h == 5) {
      packed5(ap, a0, bp, b0, k, c, c0, cs);
    } else if (h == 4) {
      packed4(ap, a0, bp, b0, k, c, c0, cs);
    } else {
      block1(ap, a0, bp, b0, k, c, c0); // one row packed is the row itself
    }
  }

  /** {@link #block6} on rows packed by {@link #packBlocks}. */
  private static void packed6(
      float[] a, int a0, float[] bp, int b0, int k, float[] c, int c0, int cs) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c40 = c00;
    FloatVector c41 = c00;
    FloatVector c50 = c00;
    FloatVector c51 = c00;
    for (int q = b0, qe = b0 + k * NR, p = a0; q < qe; q += NR, p += 6) {
      FloatVector b0v = FloatVector.fromArray(S, bp, q);
      FloatVector b1v = FloatVector.fromArray(S, bp, q + L);
      FloatVector x = FloatVector.broadcast(S, a[p]);
      c00 = x.fma(b0v, c00);
      c01 = x.fma(b1v, c01);
      x = FloatVector.broadcast(S, a[p + 1]);
      c10 = x.fma(b0v, c10);
      c11 = x.fma(b1v, c11);
      x = FloatVector.broadcast(S, a[p + 2]);
      c20 = x.fma(b0v, c20);
      c21 = x.fma(b1v, c21);
      x = FloatVector.broadcast(S, a[p + 3]);
      c30 = x.fma(b0v, c30);
      c31 = x.fma(b1v, c31);
      x = FloatVector.broadcast(S, a[p + 4]);
      c40 = x.fma(b0v, c40);
      c41 = x.fma(b1v, c41);
      x = FloatVector.broadcast(S, a[p + 5]);
      c50 = x.fma(b0v, c50);
      c51 = x.fma(b1v, c51);
    }
    c00.intoArray(c, c0);
    c01.intoArray(c, c0 + L);
    c10.intoArray(c, c0 + cs);
    c11.intoArray(c, c0 + cs + L);
    c20.intoArray(c, c0 + 2 * cs);
    c21.intoArray(c, c0 + 2 * cs + L);
    c30.intoArray(c, c0 + 3 * cs);
    c31.intoArray(c, c0 + 3 * cs + L);
    c40.intoArray(c, c0 + 4 * cs);
    c41.intoArray(c, c0 + 4 * cs + L);
    c50.intoArray(c, c0 + 5 * cs);
    c51.intoArray(c, c0 + 5 * cs + L);
  }

  /** {@link #block6} for 5 rows, on rows packed by {@link #packBlocks}. */
  private static void packed5(
      float[] a, int a0, float[] bp, int b0, int k, float[] c, int c0, int cs) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c40 = c00;
    FloatVector c41 = c00;
    for (int q = b0, qe = b0 + k * NR, p = a0; q < qe; q += NR, p += 5) {
      FloatVector b0v = FloatVector.fromArray(S, bp, q);
      FloatVector b1v = FloatVector.fromArray(S, bp, q + L);
      FloatVector x = FloatVector.broadcast(S, a[p]);
      c00 = x.fma(b0v, c00);
      c01 = x.fma(b1v, c01);
      x = FloatVector.broadcast(S, a[p + 1]);
      c10 = x.fma(b0v, c10);
      c11 = x.fma(b1v, c11);
      x = FloatVector.broadcast(S, a[p + 2]);
      c20 = x.fma(b0v, c20);
      c21 = x.fma(b1v, c21);
      x = FloatVector.broadcast(S, a[p + 3]);
      c30 = x.fma(b0v, c30);
      c31 = x.fma(b1v, c31);
      x = FloatVector.broadcast(S, a[p + 4]);
      c40 = x.fma(b0v, c40);
      c41 = x.fma(b1v, c41);
    }
    c00.intoArray(c, c0);
    c01.intoArray(c, c0 + L);
    c10.intoArray(c, c0 + cs);
    c11.intoArray(c, c0 + cs + L);
    c20.intoArray(c, c0 + 2 * cs);
    c21.intoArray(c, c0 + 2 * cs + L);
    c30.intoArray(c, c0 + 3 * cs);
    c31.intoArray(c, c0 + 3 * cs + L);
    c40.intoArray(c, c0 + 4 * cs);
    c41.intoArray(c, c0 + 4 * cs + L);
  }

  /** {@link #block4} on rows packed by {@link #packBlocks}. */
  private static void packed4(
      float[] a, int a0, float[] bp, int b0, int k, float[] c, int c0, int cs) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    for (int q = b0, qe = b0 + k * NR, p = a0; q < qe; q += NR, p += 4) {
      FloatVector b0v = FloatVector.fromArray(S, bp, q);
      FloatVector b1v = FloatVector.fromArray(S, bp, q + L);
      FloatVector x = FloatVector.broadcast(S, a[p]);
      c00 = x.fma(b0v, c00);
      c01 = x.fma(b1v, c01);
      x = FloatVector.broadcast(S, a[p + 1]);
      c10 = x.fma(b0v, c10);
      c11 = x.fma(b1v, c11);
      x = FloatVector.broadcast(S, a[p + 2]);
      c20 = x.fma(b0v, c20);
      c21 = x.fma(b1v, c21);
      x = FloatVector.broadcast(S, a[p + 3]);
      c30 = x.fma(b0v, c30);
      c31 = x.fma(b1v, c31);
    }
    c00.intoArray(c, c0);
    c01.intoArray(c, c0 + L);
    c10.intoArray(c, c0 + cs);
    c11.intoArray(c, c0 + cs + L);
    c20.intoArray(c, c0 + 2 * cs);
    c21.intoArray(c, c0 + 2 * cs + L);
    c30.intoArray(c, c0 + 3 * cs);
    c31.intoArray(c, c0 + 3 * cs + L);
  }

  @Override
  public String toString() {
    return "vector(" + L + " lanes)";
  }
}
