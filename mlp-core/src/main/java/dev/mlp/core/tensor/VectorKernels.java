package dev.mlp.core.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked kernels on the JDK's Vector API ({@code jdk.incubator.vector}).
 *
 * <p>The two products with a broadcast form (A·B and Aᵀ·B) compute 4 rows × 2 vectors of C at a
 * time, each element accumulated with one fused multiply-add per p in increasing order, so an
 * element's bits do not depend on how C is split into blocks or between threads. A·Bᵀ is a
 * dot-product form: lane-wise partial sums along k, reduced in a fixed order.
 *
 * <p>The {@code *Range} methods compute one slice of C; {@link ParallelKernels} hands slices to
 * threads.
 */
public final class VectorKernels implements Kernels {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int L = S.length();

  public static final VectorKernels INSTANCE = new VectorKernels();

  private VectorKernels() {}

  /** Whether the Vector API module is present in this JVM (the launcher adds it). */
  public static boolean available() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  /** Lanes per vector on this machine (8 with AVX2, 16 with AVX-512). */
  public static int lanes() {
    return L;
  }

  @Override
  public void matmul(float[] a, float[] b, float[] bias, float[] c, int m, int n, int k) {
    broadcastRange(a, k, 1, b, bias, c, 0, m, 0, n, n, k);
  }

  @Override
  public void matmulTransA(float[] a, float[] b, float[] c, int m, int n, int k) {
    broadcastRange(a, 1, m, b, null, c, 0, m, 0, n, n, k);
  }

  @Override
  public void matmulTransB(float[] a, float[] b, float[] c, int m, int n, int k) {
    dotRange(a, b, c, 0, m, 0, n, n, k);
  }

  /**
   * C[i][j] = bias[j] + Σ_p A(i, p) · B[p][j] for i in [i0, i1), j in [j0, j1), where A(i, p) =
   * a[i·aRow + p·aCol]: (aRow, aCol) = (k, 1) for A·B and (1, m) for Aᵀ·B.
   */
  static void broadcastRange(
      float[] a,
      int aRow,
      int aCol,
      float[] b,
      float[] bias,
      float[] c,
      int i0,
      int i1,
      int j0,
      int j1,
      int n,
      int k) {
    int i = i0;
    for (; i + 4 <= i1; i += 4) {
      int j = j0;
      for (; j + 2 * L <= j1; j += 2 * L) {
        block4x2(a, aRow, aCol, b, bias, c, i, j, n, k);
      }
      for (; j + L <= j1; j += L) {
        for (int r = 0; r < 4; r++) {
          block1x1(a, aRow, aCol, b, bias, c, i + r, j, n, k);
        }
      }
      for (; j < j1; j++) {
        for (int r = 0; r < 4; r++) {
          scalar(a, aRow, aCol, b, bias, c, i + r, j, n, k);
        }
      }
    }
    for (; i < i1; i++) {
      int j = j0;
      for (; j + L <= j1; j += L) {
        block1x1(a, aRow, aCol, b, bias, c, i, j, n, k);
      }
      for (; j < j1; j++) {
        scalar(a, aRow, aCol, b, bias, c, i, j, n, k);
      }
    }
  }

  private static FloatVector start(float[] bias, int j) {
    return bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j);
  }

  private static void block4x2(
      float[] a,
      int aRow,
      int aCol,
      float[] b,
      float[] bias,
      float[] c,
      int i,
      int j,
      int n,
      int k) {
    FloatVector c00 = start(bias, j);
    FloatVector c01 = start(bias, j + L);
    FloatVector c10 = c00;
    FloatVector c11 = c01;
    FloatVector c20 = c00;
    FloatVector c21 = c01;
    FloatVector c30 = c00;
    FloatVector c31 = c01;
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

  private static void block1x1(
      float[] a,
      int aRow,
      int aCol,
      float[] b,
      float[] bias,
      float[] c,
      int i,
      int j,
      int n,
      int k) {
    FloatVector acc = start(bias, j);
    int a0 = i * aRow;
    for (int p = 0, bp = j, ap = a0; p < k; p++, bp += n, ap += aCol) {
      acc = FloatVector.broadcast(S, a[ap]).fma(FloatVector.fromArray(S, b, bp), acc);
    }
    acc.intoArray(c, i * n + j);
  }

  private static void scalar(
      float[] a,
      int aRow,
      int aCol,
      float[] b,
      float[] bias,
      float[] c,
      int i,
      int j,
      int n,
      int k) {
    // the same fused multiply-add per p as a vector lane, so the bits match
    float acc = bias == null ? 0f : bias[j];
    for (int p = 0, bp = j, ap = i * aRow; p < k; p++, bp += n, ap += aCol) {
      acc = Math.fma(a[ap], b[bp], acc);
    }
    c[i * n + j] = acc;
  }

  /** C[i][j] = Σ_p A[i][p] · B[j][p] for i in [i0, i1), j in [j0, j1). */
  static void dotRange(
      float[] a, float[] b, float[] c, int i0, int i1, int j0, int j1, int n, int k) {
    int kv = k - k % L;
    int i = i0;
    for (; i + 2 <= i1; i += 2) {
      int j = j0;
      for (; j + 2 <= j1; j += 2) {
        dot2x2(a, b, c, i, j, n, k, kv);
      }
      for (; j < j1; j++) {
        c[i * n + j] = dot(a, i * k, b, j * k, k, kv);
        c[(i + 1) * n + j] = dot(a, (i + 1) * k, b, j * k, k, kv);
      }
    }
    for (; i < i1; i++) {
      for (int j = j0; j < j1; j++) {
        c[i * n + j] = dot(a, i * k, b, j * k, k, kv);
      }
    }
  }

  private static void dot2x2(float[] a, float[] b, float[] c, int i, int j, int n, int k, int kv) {
    FloatVector s00 = FloatVector.zero(S);
    FloatVector s01 = s00;
    FloatVector s10 = s00;
    FloatVector s11 = s00;
    int a0 = i * k;
    int a1 = a0 + k;
    int b0 = j * k;
    int b1 = b0 + k;
    for (int p = 0; p < kv; p += L) {
      FloatVector x0 = FloatVector.fromArray(S, a, a0 + p);
      FloatVector x1 = FloatVector.fromArray(S, a, a1 + p);
      FloatVector y0 = FloatVector.fromArray(S, b, b0 + p);
      FloatVector y1 = FloatVector.fromArray(S, b, b1 + p);
      s00 = x0.fma(y0, s00);
      s01 = x0.fma(y1, s01);
      s10 = x1.fma(y0, s10);
      s11 = x1.fma(y1, s11);
    }
    c[i * n + j] = tail(a, a0, b, b0, k, kv, s00.reduceLanes(VectorOperators.ADD));
    c[i * n + j + 1] = tail(a, a0, b, b1, k, kv, s01.reduceLanes(VectorOperators.ADD));
    c[(i + 1) * n + j] = tail(a, a1, b, b0, k, kv, s10.reduceLanes(VectorOperators.ADD));
    c[(i + 1) * n + j + 1] = tail(a, a1, b, b1, k, kv, s11.reduceLanes(VectorOperators.ADD));
  }

  private static float dot(float[] a, int a0, float[] b, int b0, int k, int kv) {
    FloatVector s = FloatVector.zero(S);
    for (int p = 0; p < kv; p += L) {
      s = FloatVector.fromArray(S, a, a0 + p).fma(FloatVector.fromArray(S, b, b0 + p), s);
    }
    return tail(a, a0, b, b0, k, kv, s.reduceLanes(VectorOperators.ADD));
  }

  private static float tail(float[] a, int a0, float[] b, int b0, int k, int kv, float sum) {
    for (int p = kv; p < k; p++) {
      sum = Math.fma(a[a0 + p], b[b0 + p], sum);
    }
    return sum;
  }

  @Override
  public String toString() {
    return "vector(" + L + " lanes)";
  }
}
