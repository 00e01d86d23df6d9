package dev.mlp.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlp.core.random.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScalarKernelsTest {
  private final Kernels k = ScalarKernels.INSTANCE;

  @Test
  void matmulOfTwoByTwoMatchesHandComputedProduct() {
    float[] a = {1, 2, 3, 4};
    float[] b = {5, 6, 7, 8};
    float[] c = new float[4];
    k.matmul(a, b, c, 2, 2, 2);
    assertThat(c).containsExactly(19, 22, 43, 50);
    k.matmulTransB(a, b, c, 2, 2, 2); // A·Bᵀ
    assertThat(c).containsExactly(17, 23, 39, 53);
    k.matmulTransA(a, b, c, 2, 2, 2); // Aᵀ·B
    assertThat(c).containsExactly(26, 30, 38, 44);
  }

  @ParameterizedTest
  @CsvSource({"1,1,1", "7,3,5", "33,17,9", "2,785,33", "32,128,784", "5,10,128"})
  void everyProductMatchesTheDefinitionOnOddShapes(int m, int n, int kk) {
    Rng rng = new Rng(m * 31L + n * 7L + kk);
    float[] a = random(rng, m * kk);
    float[] bt = random(rng, n * kk); // B as [n, k]
    float[] b = transpose(bt, n, kk); // B as [k, n]
    float[] at = transpose(a, m, kk); // A as [k, m]
    float[] expected = naive(a, b, m, n, kk);
    float[] c = new float[m * n];
    k.matmul(a, b, c, m, n, kk);
    assertClose(c, expected, kk);
    k.matmulTransB(a, bt, c, m, n, kk);
    assertClose(c, expected, kk);
    k.matmulTransA(at, b, c, m, n, kk);
    assertClose(c, expected, kk);
  }

  @Test
  void productsOverwriteTheOutputRatherThanAddToIt() {
    float[] c = {100, 100, 100, 100};
    k.matmul(new float[] {1, 0, 0, 1}, new float[] {1, 2, 3, 4}, c, 2, 2, 2);
    assertThat(c).containsExactly(1, 2, 3, 4);
  }

  static float[] random(Rng rng, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    return x;
  }

  static float[] transpose(float[] x, int rows, int cols) {
    float[] t = new float[x.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = x[r * cols + c];
      }
    }
    return t;
  }

  static float[] naive(float[] a, float[] b, int m, int n, int k) {
    float[] c = new float[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += (double) a[i * k + p] * b[p * n + j];
        }
        c[i * n + j] = (float) s;
      }
    }
    return c;
  }

  static void assertClose(float[] actual, float[] expected, int k) {
    float tol = 1e-5f * (float) Math.sqrt(k) * 4;
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i])
          .as("element %d", i)
          .isCloseTo(expected[i], within(tol * Math.max(1, Math.abs(expected[i]))));
    }
  }
}
