package dev.mlp.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlp.core.parallel.WorkerPool;
import dev.mlp.core.random.Rng;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KernelsTest {
  static final WorkerPool TWO = new WorkerPool(2);
  static final WorkerPool THREE = new WorkerPool(3);

  static Stream<Kernels> all() {
    return Stream.of(
        ScalarKernels.INSTANCE,
        VectorKernels.INSTANCE,
        new ParallelKernels(TWO),
        new ParallelKernels(THREE));
  }

  @AfterAll
  static void stop() {
    TWO.close();
    THREE.close();
  }

  @ParameterizedTest
  @MethodSource("all")
  void matmulOfTwoByTwoMatchesHandComputedProduct(Kernels k) {
    float[] a = {1, 2, 3, 4};
    float[] b = {5, 6, 7, 8};
    float[] c = new float[4];
    k.matmul(a, b, c, 2, 2, 2);
    assertThat(c).containsExactly(19, 22, 43, 50);
    k.matmulTransB(a, b, null, c, 2, 2, 2); // A·Bᵀ
    assertThat(c).containsExactly(17, 23, 39, 53);
    k.matmulTransB(a, b, new float[] {1, -1}, c, 2, 2, 2); // A·Bᵀ + bias
    assertThat(c).containsExactly(18, 22, 40, 52);
    k.matmulTransB(a, b, null, c, 2, 2, 2);
    assertThat(c).containsExactly(17, 23, 39, 53);
    k.matmulTransA(a, b, c, 2, 2, 2); // Aᵀ·B
    assertThat(c).containsExactly(26, 30, 38, 44);
  }

  static Stream<Arguments> shapes() {
    int[][] s = {
      {1, 1, 1},
      {7, 3, 5},
      {33, 17, 9},
      {2, 785, 33},
      {32, 128, 784},
      {5, 10, 128},
      {1, 7, 785},
      {33, 33, 33},
      {785, 1, 7},
      {64, 200, 300},
      {600, 40, 50}, // a forward pass of more rows than VectorKernels.FORWARD_ROWS, in parallel
      {9, 2100, 5} // Aᵀ·B over more column panels than VectorKernels.PANEL_GROUP packs at a time
    };
    return all().flatMap(k -> Stream.of(s).map(x -> Arguments.of(k, x[0], x[1], x[2])));
  }

  @ParameterizedTest(name = "{0} [{1}×{3}]·[{3}×{2}]")
  @MethodSource("shapes")
  void everyProductMatchesTheDefinitionOnOddShapes(Kernels k, int m, int n, int kk) {
    Rng rng = new Rng(m * 31L + n * 7L + kk);
    float[] a = random(rng, m * kk);
    float[] bt = random(rng, n * kk); // B as [n, k]
    float[] b = transpose(bt, n, kk); // B as [k, n]
    float[] at = transpose(a, m, kk); // A as [k, m]
    float[] expected = naive(a, b, m, n, kk);
    float[] c = new float[m * n];
    k.matmul(a, b, c, m, n, kk);
    assertClose(c, expected, kk);
    k.matmulTransB(a, bt, null, c, m, n, kk);
    assertClose(c, expected, kk);
    float[] bias = random(rng, n);
    k.matmulTransB(a, bt, bias, c, m, n, kk);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        expected[i * n + j] += bias[j];
      }
    }
    assertClose(c, expected, kk);
    expected = naive(a, b, m, n, kk);
    k.matmulTransA(at, b, c, m, n, kk);
    assertClose(c, expected, kk);
  }

  @ParameterizedTest
  @MethodSource("all")
  void productsOverwriteTheOutputRatherThanAddToIt(Kernels k) {
    float[] c = {100, 100, 100, 100};
    k.matmul(new float[] {1, 0, 0, 1}, new float[] {1, 2, 3, 4}, c, 2, 2, 2);
    assertThat(c).containsExactly(1, 2, 3, 4);
  }

  @Test
  void parallelKernelsGiveTheSameBitsAsOneThreadForAnyThreadCount() {
    Rng rng = new Rng(11);
    int[][] shapes = {
      {32, 128, 784}, {256, 1024, 1024}, {7, 33, 785}, {1000, 10, 128}, {40, 2100, 33}
    };
    for (int[] s : shapes) {
      int m = s[0];
      int n = s[1];
      int kk = s[2];
      float[] a = random(rng, m * kk);
      float[] b = random(rng, kk * n);
      float[] bias = random(rng, n);
      float[] at = transpose(a, m, kk);
      float[] bt = transpose(b, kk, n);
      Kernels one = VectorKernels.INSTANCE;
      for (Kernels many : new Kernels[] {new ParallelKernels(TWO), new ParallelKernels(THREE)}) {
        float[] c1 = new float[m * n];
        float[] c2 = new float[m * n];
        // different garbage in each: an element either product skips shows
        Arrays.fill(c1, Float.NaN);
        Arrays.fill(c2, -1f);
        one.matmul(a, b, c1, m, n, kk);
        many.matmul(a, b, c2, m, n, kk);
        assertThat(Arrays.mismatch(c2, c1))
            .as("first differing element, matmul %s", many)
            .isEqualTo(-1);
        // different garbage in each: an element either product skips shows
        Arrays.fill(c1, Float.NaN);
        Arrays.fill(c2, -1f);
        one.matmulTransA(at, b, c1, m, n, kk);
        many.matmulTransA(at, b, c2, m, n, kk);
        assertThat(Arrays.mismatch(c2, c1))
            .as("first differing element, matmulTransA %s", many)
            .isEqualTo(-1);
        // different garbage in each: an element either product skips shows
        Arrays.fill(c1, Float.NaN);
        Arrays.fill(c2, -1f);
        one.matmulTransB(a, bt, bias, c1, m, n, kk);
        many.matmulTransB(a, bt, bias, c2, m, n, kk);
        assertThat(Arrays.mismatch(c2, c1))
            .as("first differing element, matmulTransB %s", many)
            .isEqualTo(-1);
      }
    }
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

  /**
   * Every element of every product is one chain of fused multiply-adds over p in increasing order
   * (the bias added last), so the vector kernels give exactly the bits of that chain written out in
   * scalar Java, whatever the vector width (mlp-core's pom runs this at 4, 8 and the machine's
   * lanes) and the thread count.
   */
  @Test
  void productsAreOneFmaChainPerElementSoTheirBitsDoNotDependOnTheVectorWidth() {
    int[][] shapes = {
      {32, 128, 784}, {7, 33, 785}, {1, 10, 128}, {33, 17, 9}, {100, 10, 3}, {3, 5, 0}, {0, 4, 2}
    };
    for (int[] s : shapes) {
      int m = s[0];
      int n = s[1];
      int kk = s[2];
      Rng rng = new Rng(m * 131L + n * 17L + kk);
      float[] a = random(rng, m * kk);
      float[] b = random(rng, kk * n);
      float[] bias = random(rng, n);
      float[] at = transpose(a, m, kk);
      float[] bt = transpose(b, kk, n);
      float[] chain = new float[m * n];
      float[] chainBias = new float[m * n];
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          float acc = 0f;
          for (int p = 0; p < kk; p++) {
            acc = Math.fma(a[i * kk + p], b[p * n + j], acc);
          }
          chain[i * n + j] = acc;
          chainBias[i * n + j] = acc + bias[j];
        }
      }
      for (Kernels k : new Kernels[] {VectorKernels.INSTANCE, new ParallelKernels(TWO)}) {
        float[] c = new float[m * n];
        k.matmul(a, b, c, m, n, kk);
        assertThat(Arrays.mismatch(c, chain))
            .as("matmul %s %s", k, Arrays.toString(s))
            .isEqualTo(-1);
        k.matmulTransA(at, b, c, m, n, kk);
        assertThat(Arrays.mismatch(c, chain))
            .as("matmulTransA %s %s", k, Arrays.toString(s))
            .isEqualTo(-1);
        k.matmulTransB(a, bt, bias, c, m, n, kk);
        assertThat(Arrays.mismatch(c, chainBias))
            .as("matmulTransB %s %s", k, Arrays.toString(s))
            .isEqualTo(-1);
      }
    }
  }

  /** Without a bias the forward product is the chain itself: a −0 stays −0 (no "+ 0f"). */
  @Test
  void blocksCoverEveryRowCountWithAtMostOneSingleRow() {
    for (int rows = 1; rows <= 300; rows++) {
      int singles = 0;
      for (int r = 0, h; r < rows; r += h) {
        h = VectorKernels.height(rows - r);
        assertThat(h).as("broadcast block at %d of %d rows", r, rows).isIn(6, 4, 1);
        singles += h == 1 ? 1 : 0;
      }
      // 6s and 4s make every even count from 4 on; an odd one needs one single row
      assertThat(singles).as("single rows of %d", rows).isEqualTo(rows < 4 ? rows : rows % 2);
      int packedSingles = 0;
      int covered = 0;
      for (int h; covered < rows; covered += h) {
        h = VectorKernels.packedHeight(rows - covered);
        assertThat(h)
            .as("packed block at %d of %d rows", covered, rows)
            .isIn(VectorKernels.MR_PACKED, 4, 1);
        packedSingles += h == 1 ? 1 : 0;
      }
      assertThat(covered).isEqualTo(rows);
      if (rows % 4 == 0 || rows % VectorKernels.MR_PACKED == 0) { // every range the threads cut
        assertThat(packedSingles).as("packed single rows of %d", rows).isZero();
      }
      assertThat(packedSingles).as("packed single rows of %d", rows).isLessThanOrEqualTo(3);
    }
  }

  @Test
  void aForwardProductWithoutBiasKeepsTheSignOfZero() {
    float[] x = {-1e-30f};
    float[] w = {1e-30f};
    for (Kernels k : new Kernels[] {VectorKernels.INSTANCE, new ParallelKernels(TWO)}) {
      float[] c = {5f};
      k.matmulTransB(x, w, null, c, 1, 1, 1);
      assertThat(Float.floatToRawIntBits(c[0])).as("%s", k).isEqualTo(Float.floatToRawIntBits(-0f));
    }
  }

  @Test
  void axpyRangeUpdatesOnlyItsColumnsOfEveryRow() {
    float[] y = {1, 1, 1, 1, 1, 1, 1, 1};
    float[] x = {1, 2, 3, 4, 5, 6, 7, 8};
    Kernels.axpyRange(2f, x, y, 2, 4, 1, 3);
    assertThat(y).containsExactly(1, 5, 7, 1, 1, 13, 15, 1);
  }

  @Test
  void gatherRangeCopiesItsRowsOfTheOrder() {
    float[] src = {0, 0, 1, 1, 2, 2, 3, 3};
    float[] dst = new float[6];
    Kernels.gatherRange(src, new int[] {9, 3, 1, 2}, 1, 2, dst, 1, 3);
    assertThat(dst).containsExactly(0, 0, 1, 1, 2, 2);
  }

  @Test
  void theDefaultsAreTheVectorKernelsWhenTheModuleIsPresent() {
    assertThat(VectorKernels.available()).isTrue();
    assertThat(Kernels.defaults()).isSameAs(VectorKernels.INSTANCE);
    assertThat(Kernels.forThreads(1)).isSameAs(VectorKernels.INSTANCE);
    assertThat(Kernels.defaults().threads()).isEqualTo(1);
    assertThat(ScalarKernels.INSTANCE.threads()).isEqualTo(1);
    Kernels two = Kernels.forThreads(2);
    try {
      assertThat(two).isInstanceOf(ParallelKernels.class);
      assertThat(two.threads()).isEqualTo(2);
      assertThat(((ParallelKernels) two).pool().threads()).isEqualTo(2);
    } finally {
      ((ParallelKernels) two).pool().close();
    }
    assertThatThrownBy(() -> Kernels.forThreads(0)).hasMessage("threads must be at least 1, got 0");
  }

  /** The runs at a forced vector width (mlp-core's pom) do run at that width. */
  @Test
  void theVectorWidthIsTheOneThisRunAskedFor() {
    String expected = System.getProperty("mlp.expectLanes");
    if (expected != null) {
      assertThat(VectorKernels.lanes()).isEqualTo(Integer.parseInt(expected));
    }
  }

  @Test
  void kernelsDescribeThemselves() {
    int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
    assertThat(VectorKernels.lanes()).isEqualTo(lanes);
    assertThat(ScalarKernels.INSTANCE).hasToString("scalar");
    assertThat(VectorKernels.INSTANCE).hasToString("vector(" + lanes + " lanes)");
    assertThat(new ParallelKernels(TWO)).hasToString("vector(" + lanes + " lanes) × 2 threads");
  }
}
