package dev.mlp.core.tensor;

import java.util.Arrays;

/**
 * Plain-Java reference kernels: loop orders chosen so the innermost loop walks contiguous memory,
 * nothing else. The fast kernels are tested against these.
 */
public final class ScalarKernels implements Kernels {
  public static final ScalarKernels INSTANCE = new ScalarKernels();

  private ScalarKernels() {}

  @Override
  public void matmul(float[] a, float[] b, float[] c, int m, int n, int k) {
    // c[i][:] = Σ_p a[i][p] · b[p][:]
    Arrays.fill(c, 0, m * n, 0f);
    for (int i = 0; i < m; i++) {
      int ai = i * k;
      int ci = i * n;
      for (int p = 0; p < k; p++) {
        float s = a[ai + p];
        int bp = p * n;
        for (int j = 0; j < n; j++) {
          c[ci + j] += s * b[bp + j];
        }
      }
    }
  }

  @Override
  public void matmulTransA(float[] a, float[] b, float[] c, int m, int n, int k) {
    // c[i][:] = Σ_p a[p][i] · b[p][:]
    Arrays.fill(c, 0, m * n, 0f);
    for (int p = 0; p < k; p++) {
      int ap = p * m;
      int bp = p * n;
      for (int i = 0; i < m; i++) {
        float s = a[ap + i];
        int ci = i * n;
        for (int j = 0; j < n; j++) {
          c[ci + j] += s * b[bp + j];
        }
      }
    }
  }

  @Override
  public void matmulTransB(float[] a, float[] b, float[] bias, float[] c, int m, int n, int k) {
    // c[i][j] = Σ_p a[i][p] · b[j][p] (+ bias[j]): a dot product of two contiguous rows
    for (int i = 0; i < m; i++) {
      int ai = i * k;
      for (int j = 0; j < n; j++) {
        int bj = j * k;
        float s = 0f;
        for (int p = 0; p < k; p++) {
          s += a[ai + p] * b[bj + p];
        }
        c[i * n + j] = bias == null ? s : s + bias[j];
      }
    }
  }

  @Override
  public String toString() {
    return "scalar";
  }
}
