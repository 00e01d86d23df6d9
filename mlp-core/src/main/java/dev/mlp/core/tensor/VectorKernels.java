package dev.mlp.core.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked kernels on the JDK's Vector API ({@code jdk.incubator.vector}).
 *
 * <p>The broadcast-form products (A·B and Aᵀ·B) compute 4 rows × 2 vectors of C at a time, each
 * element accumulated with one fused multiply-add per p in increasing order. The dot-form product
 * (A·Bᵀ, a linear layer's forward pass) computes 4 × 4 elements at a time as lane-wise partial sums
 * along k, reduced in a fixed order. Either way an element's bits do not depend on how C is split
 * into blocks or between threads.
 *
 * <p>The {@code *Range} methods compute one slice of C; {@link ParallelKernels} hands slices to
 * threads.
 */
public final class VectorKernels implements Kernels {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int L = S.length();

  /**
   * Whether vectors are 256 bits or narrower (AVX2, SSE, NEON): then the register blocks are cut
   * for 16 registers (AVX2 has 16; AVX-512 has 32, which the wider blocks fill).
   */
  static final boolean NARROW = L <= 8;

  public static final VectorKernels INSTANCE = new VectorKernels();

  private VectorKernels() {}

  /** Whether the Vector API module is present in this JVM (the launcher adds it). */
  public static boolean available() {
    return VectorSupport.available();
  }

  /** Lanes per vector on this machine (8 with AVX2, 16 with AVX-512). */
  public static int lanes() {
    return L;
  }

  @Override
  public void matmul(float[] a, float[] b, float[] c, int m, int n, int k) {
    broadcastRange(a, k, 1, b, c, 0, m, 0, n, n, k);
  }

  @Override
  public void matmulTransA(float[] a, float[] b, float[] c, int m, int n, int k) {
    broadcastRange(a, 1, m, b, c, 0, m, 0, n, n, k);
  }

  @Override
  public void matmulTransB(float[] a, float[] b, float[] bias, float[] c, int m, int n, int k) {
    dotRange(a, b, bias, c, 0, m, 0, n, n, k);
  }

  /**
   * C[i][j] = Σ_p A(i, p) · B[p][j] for i in [i0, i1), j in [j0, j1), where A(i, p) = a[i·aRow +
   * p·aCol]: (aRow, aCol) = (k, 1) for A·B and (1, m) for Aᵀ·B.
   */
  static void broadcastRange(
      float[] a,
      int aRow,
      int aCol,
      float[] b,
      float[] c,
      int i0,
      int i1,
      int j0,
      int j1,
      int n,
      int k) {
    int i = i0;
    if (NARROW) {
      // 6 rows × 2 vectors: 12 accumulators, 2 loads of B and a broadcast, 15 of 16 registers;
      // no 6-row block that would leave 2 or 3 rows, which 4-row blocks take better
      // (32 rows: 6 6 6 6 4 4; 33: 6 6 6 6 4 4 1)
      for (; i + 6 <= i1 && i1 - i != 8 && i1 - i != 9; i += 6) {
        int j = j0;
        for (; j + 2 * L <= j1; j += 2 * L) {
          block6x2(a, aRow, aCol, b, c, i, j, n, k);
        }
        for (; j < j1; j += L) {
          VectorMask<Float> m = S.indexInRange(j, j1);
          block4x1(a, aRow, aCol, b, c, i, j, n, k, m);
          block1x1(a, aRow, aCol, b, c, i + 4, j, n, k, m);
          block1x1(a, aRow, aCol, b, c, i + 5, j, n, k, m);
        }
      }
    }
    for (; i + 4 <= i1; i += 4) {
      int j = j0;
      for (; j + 2 * L <= j1; j += 2 * L) {
        block4x2(a, aRow, aCol, b, c, i, j, n, k);
      }
      for (; j < j1; j += L) {
        block4x1(a, aRow, aCol, b, c, i, j, n, k, S.indexInRange(j, j1));
      }
    }
    for (; i < i1; i++) {
      for (int j = j0; j < j1; j += L) {
        block1x1(a, aRow, aCol, b, c, i, j, n, k, S.indexInRange(j, j1));
      }
    }
  }

  private static void block4x2(
      float[] a, int aRow, int aCol, float[] b, float[] c, int i, int j, int n, int k) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    int a0 = i * aRow;
    int a1 = a0 + aRow;
    int a2 = a1 + aRow;
    int a3 = a2 + aRow;
    for (int p = 0, bp = j, ap = 0; p < k; p++, bp += n, ap += aCol) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[a0 + ap]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[a1 + ap]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[a2 + ap]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[a3 + ap]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
    }
    int ci = i * n + j;
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + L);
    c10.intoArray(c, ci + n);
    c11.intoArray(c, ci + n + L);
    c20.intoArray(c, ci + 2 * n);
    c21.intoArray(c, ci + 2 * n + L);
    c30.intoArray(c, ci + 3 * n);
    c31.intoArray(c, ci + 3 * n + L);
  }

  private static void block6x2(
      float[] a, int aRow, int aCol, float[] b, float[] c, int i, int j, int n, int k) {
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
    int a0 = i * aRow;
    int a1 = a0 + aRow;
    int a2 = a1 + aRow;
    int a3 = a2 + aRow;
    int a4 = a3 + aRow;
    int a5 = a4 + aRow;
    for (int p = 0, bp = j, ap = 0; p < k; p++, bp += n, ap += aCol) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[a0 + ap]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[a1 + ap]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[a2 + ap]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[a3 + ap]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[a4 + ap]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[a5 + ap]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
    }
    int ci = i * n + j;
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + L);
    c10.intoArray(c, ci + n);
    c11.intoArray(c, ci + n + L);
    c20.intoArray(c, ci + 2 * n);
    c21.intoArray(c, ci + 2 * n + L);
    c30.intoArray(c, ci + 3 * n);
    c31.intoArray(c, ci + 3 * n + L);
    c40.intoArray(c, ci + 4 * n);
    c41.intoArray(c, ci + 4 * n + L);
    c50.intoArray(c, ci + 5 * n);
    c51.intoArray(c, ci + 5 * n + L);
  }

  /** Rows i … i+3, the lanes of columns j … j+L−1 that {@code m} selects. */
  private static void block4x1(
      float[] a,
      int aRow,
      int aCol,
      float[] b,
      float[] c,
      int i,
      int j,
      int n,
      int k,
      VectorMask<Float> m) {
    FloatVector c0 = FloatVector.zero(S);
    FloatVector c1 = c0;
    FloatVector c2 = c0;
    FloatVector c3 = c0;
    int a0 = i * aRow;
    int a1 = a0 + aRow;
    int a2 = a1 + aRow;
    int a3 = a2 + aRow;
    for (int p = 0, bp = j, ap = 0; p < k; p++, bp += n, ap += aCol) {
      FloatVector y = FloatVector.fromArray(S, b, bp, m);
      c0 = FloatVector.broadcast(S, a[a0 + ap]).fma(y, c0);
      c1 = FloatVector.broadcast(S, a[a1 + ap]).fma(y, c1);
      c2 = FloatVector.broadcast(S, a[a2 + ap]).fma(y, c2);
      c3 = FloatVector.broadcast(S, a[a3 + ap]).fma(y, c3);
    }
    int ci = i * n + j;
    c0.intoArray(c, ci, m);
    c1.intoArray(c, ci + n, m);
    c2.intoArray(c, ci + 2 * n, m);
    c3.intoArray(c, ci + 3 * n, m);
  }

  private static void block1x1(
      float[] a,
      int aRow,
      int aCol,
      float[] b,
      float[] c,
      int i,
      int j,
      int n,
      int k,
      VectorMask<Float> m) {
    FloatVector acc = FloatVector.zero(S);
    for (int p = 0, bp = j, ap = i * aRow; p < k; p++, bp += n, ap += aCol) {
      acc = FloatVector.broadcast(S, a[ap]).fma(FloatVector.fromArray(S, b, bp, m), acc);
    }
    acc.intoArray(c, i * n + j, m);
  }

  /** C[i][j] = Σ_p A[i][p] · B[j][p] (+ bias[j]) for i in [i0, i1), j in [j0, j1). */
  static void dotRange(
      float[] a, float[] b, float[] bias, float[] c, int i0, int i1, int j0, int j1, int n, int k) {
    int kv = k - k % L;
    int i = i0;
    for (; i + 4 <= i1; i += 4) {
      int j = j0;
      if (NARROW) {
        // 4 × 2 elements: 8 accumulators, 2 + 1 loads, 11 of 16 registers (4 × 4 would spill)
        for (; j + 2 <= j1; j += 2) {
          dot4x2(a, b, bias, c, i, j, n, k, kv);
        }
      }
      for (; j + 4 <= j1; j += 4) {
        dot4x4(a, b, bias, c, i, j, n, k, kv);
      }
      for (; j < j1; j++) {
        for (int r = i; r < i + 4; r++) {
          c[r * n + j] = dot(a, r * k, b, j * k, k, kv, bias == null ? 0f : bias[j]);
        }
      }
    }
    for (; i < i1; i++) {
      for (int j = j0; j < j1; j++) {
        c[i * n + j] = dot(a, i * k, b, j * k, k, kv, bias == null ? 0f : bias[j]);
      }
    }
  }

  private static void dot4x4(
      float[] a, float[] b, float[] bias, float[] c, int i, int j, int n, int k, int kv) {
    FloatVector s00 = FloatVector.zero(S);
    FloatVector s01 = s00;
    FloatVector s02 = s00;
    FloatVector s03 = s00;
    FloatVector s10 = s00;
    FloatVector s11 = s00;
    FloatVector s12 = s00;
    FloatVector s13 = s00;
    FloatVector s20 = s00;
    FloatVector s21 = s00;
    FloatVector s22 = s00;
    FloatVector s23 = s00;
    FloatVector s30 = s00;
    FloatVector s31 = s00;
    FloatVector s32 = s00;
    FloatVector s33 = s00;
    int a0 = i * k;
    int b0 = j * k;
    for (int p = 0; p < kv; p += L) {
      FloatVector y0 = FloatVector.fromArray(S, b, b0 + p);
      FloatVector y1 = FloatVector.fromArray(S, b, b0 + k + p);
      FloatVector y2 = FloatVector.fromArray(S, b, b0 + 2 * k + p);
      FloatVector y3 = FloatVector.fromArray(S, b, b0 + 3 * k + p);
      FloatVector x = FloatVector.fromArray(S, a, a0 + p);
      s00 = x.fma(y0, s00);
      s01 = x.fma(y1, s01);
      s02 = x.fma(y2, s02);
      s03 = x.fma(y3, s03);
      x = FloatVector.fromArray(S, a, a0 + k + p);
      s10 = x.fma(y0, s10);
      s11 = x.fma(y1, s11);
      s12 = x.fma(y2, s12);
      s13 = x.fma(y3, s13);
      x = FloatVector.fromArray(S, a, a0 + 2 * k + p);
      s20 = x.fma(y0, s20);
      s21 = x.fma(y1, s21);
      s22 = x.fma(y2, s22);
      s23 = x.fma(y3, s23);
      x = FloatVector.fromArray(S, a, a0 + 3 * k + p);
      s30 = x.fma(y0, s30);
      s31 = x.fma(y1, s31);
      s32 = x.fma(y2, s32);
      s33 = x.fma(y3, s33);
    }
    finish(a, b, bias, c, i, j, n, k, kv, s00, s01, s02, s03);
    finish(a, b, bias, c, i + 1, j, n, k, kv, s10, s11, s12, s13);
    finish(a, b, bias, c, i + 2, j, n, k, kv, s20, s21, s22, s23);
    finish(a, b, bias, c, i + 3, j, n, k, kv, s30, s31, s32, s33);
  }

  private static void dot4x2(
      float[] a, float[] b, float[] bias, float[] c, int i, int j, int n, int k, int kv) {
    FloatVector s00 = FloatVector.zero(S);
    FloatVector s01 = s00;
    FloatVector s10 = s00;
    FloatVector s11 = s00;
    FloatVector s20 = s00;
    FloatVector s21 = s00;
    FloatVector s30 = s00;
    FloatVector s31 = s00;
    int a0 = i * k;
    int b0 = j * k;
    for (int p = 0; p < kv; p += L) {
      FloatVector y0 = FloatVector.fromArray(S, b, b0 + p);
      FloatVector y1 = FloatVector.fromArray(S, b, b0 + k + p);
      FloatVector x = FloatVector.fromArray(S, a, a0 + p);
      s00 = x.fma(y0, s00);
      s01 = x.fma(y1, s01);
      x = FloatVector.fromArray(S, a, a0 + k + p);
      s10 = x.fma(y0, s10);
      s11 = x.fma(y1, s11);
      x = FloatVector.fromArray(S, a, a0 + 2 * k + p);
      s20 = x.fma(y0, s20);
      s21 = x.fma(y1, s21);
      x = FloatVector.fromArray(S, a, a0 + 3 * k + p);
      s30 = x.fma(y0, s30);
      s31 = x.fma(y1, s31);
    }
    finish2(a, b, bias, c, i, j, n, k, kv, s00, s01);
    finish2(a, b, bias, c, i + 1, j, n, k, kv, s10, s11);
    finish2(a, b, bias, c, i + 2, j, n, k, kv, s20, s21);
    finish2(a, b, bias, c, i + 3, j, n, k, kv, s30, s31);
  }

  /** Row i, columns j and j+1 of a dot block: reduce each partial sum, add the tail and bias. */
  private static void finish2(
      float[] a,
      float[] b,
      float[] bias,
      float[] c,
      int i,
      int j,
      int n,
      int k,
      int kv,
      FloatVector s0,
      FloatVector s1) {
    int ai = i * k;
    int ci = i * n + j;
    c[ci] = tail(a, ai, b, j * k, k, kv, s0.reduceLanes(VectorOperators.ADD), bias, j);
    c[ci + 1] =
        tail(a, ai, b, (j + 1) * k, k, kv, s1.reduceLanes(VectorOperators.ADD), bias, j + 1);
  }

  /** Row i, columns j … j+3 of a dot block: reduce each partial sum, add the tail and bias. */
  private static void finish(
      float[] a,
      float[] b,
      float[] bias,
      float[] c,
      int i,
      int j,
      int n,
      int k,
      int kv,
      FloatVector s0,
      FloatVector s1,
      FloatVector s2,
      FloatVector s3) {
    int ai = i * k;
    int ci = i * n + j;
    c[ci] = tail(a, ai, b, j * k, k, kv, s0.reduceLanes(VectorOperators.ADD), bias, j);
    c[ci + 1] =
        tail(a, ai, b, (j + 1) * k, k, kv, s1.reduceLanes(VectorOperators.ADD), bias, j + 1);
    c[ci + 2] =
        tail(a, ai, b, (j + 2) * k, k, kv, s2.reduceLanes(VectorOperators.ADD), bias, j + 2);
    c[ci + 3] =
        tail(a, ai, b, (j + 3) * k, k, kv, s3.reduceLanes(VectorOperators.ADD), bias, j + 3);
  }

  private static float dot(float[] a, int a0, float[] b, int b0, int k, int kv, float bias) {
    FloatVector s = FloatVector.zero(S);
    for (int p = 0; p < kv; p += L) {
      s = FloatVector.fromArray(S, a, a0 + p).fma(FloatVector.fromArray(S, b, b0 + p), s);
    }
    float sum = s.reduceLanes(VectorOperators.ADD);
    for (int p = kv; p < k; p++) {
      sum = Math.fma(a[a0 + p], b[b0 + p], sum);
    }
    return sum + bias;
  }

  private static float tail(
      float[] a, int a0, float[] b, int b0, int k, int kv, float sum, float[] bias, int j) {
    for (int p = kv; p < k; p++) {
      sum = Math.fma(a[a0 + p], b[b0 + p], sum);
    }
    return sum + (bias == null ? 0f : bias[j]);
  }

  @Override
  public String toString() {
    return "vector(" + L + " lanes)";
  }
}
