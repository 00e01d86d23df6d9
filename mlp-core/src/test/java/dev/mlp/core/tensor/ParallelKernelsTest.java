package dev.mlp.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlp.core.parallel.WorkerPool;
import dev.mlp.core.random.Rng;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How {@link ParallelKernels} cuts its work, and the parts KernelsTest does not reach: the update
 * and the batch gather above the size where they go parallel, and products of changing shapes one
 * after the other (each job object is reused).
 */
class ParallelKernelsTest {
  static final WorkerPool TWO = new WorkerPool(2);
  static final WorkerPool THREE = new WorkerPool(3);

  @AfterAll
  static void stop() {
    TWO.close();
    THREE.close();
  }

  @ParameterizedTest(name = "{0} over {1} in blocks of {2}")
  @CsvSource({
    "1, 10, 4",
    "2, 10, 4",
    "8, 33, 4",
    "12, 200, 4",
    "1, 7, 16",
    "3, 785, 16",
    "8, 256, 4",
    "8, 1030, 4"
  })
  void slicesAreWholeBlocksCoveringTheExtentOnceAndEvenlySpread(int chunks, int extent, int width) {
    int blocks = Math.max(1, extent / width);
    assertThat(ParallelKernels.edge(0, chunks, extent, width)).isZero();
    assertThat(ParallelKernels.edge(chunks, chunks, extent, width)).isEqualTo(extent);
    for (int c = 0; c < chunks; c++) {
      int from = ParallelKernels.edge(c, chunks, extent, width);
      int to = ParallelKernels.edge(c + 1, chunks, extent, width);
      assertThat(to).as("chunk %d", c).isGreaterThan(from);
      if (to < extent) {
        assertThat(to % width).as("chunk %d ends on a block edge", c).isZero();
      }
      // each chunk gets ⌊blocks/chunks⌋ or ⌈blocks/chunks⌉ whole blocks, the last one also the
      // rows past the last whole block (fewer than a block)
      int rows = to - from;
      int tail = c == chunks - 1 && extent >= width ? extent % width : 0;
      int got = extent < width ? 1 : (rows - tail) / width;
      assertThat((rows - tail) % width == 0 || extent < width).as("chunk %d", c).isTrue();
      assertThat(got).as("chunk %d", c).isBetween(blocks / chunks, (blocks + chunks - 1) / chunks);
    }
  }

  @Test
  void edgesOfAKnownCut() {
    // 10 rows in blocks of 4 over 2 chunks: one block, then one with the 2 rows left over (6 rows,
    // one block of 6 for the kernels, not 4 + 1 + 1)
    assertThat(ParallelKernels.edge(1, 2, 10, 4)).isEqualTo(4);
    assertThat(ParallelKernels.edge(2, 2, 10, 4)).isEqualTo(10);
    assertThat(ParallelKernels.edge(1, 2, 12, 4)).as("12 rows, 3 blocks").isEqualTo(4);
    // 33 over 8 chunks of blocks of 4 (8 whole blocks, 1 row over): one block each, the last 5 rows
    int[] edges = new int[9];
    for (int c = 0; c <= 8; c++) {
      edges[c] = ParallelKernels.edge(c, 8, 33, 4);
    }
    assertThat(edges).containsExactly(0, 4, 8, 12, 16, 20, 24, 28, 33);
    // 1030 over 8 (257 whole blocks): 32 or 33 blocks each, the last with the 2 rows over
    assertThat(ParallelKernels.edge(7, 8, 1030, 4)).isEqualTo(896);
  }

  @Test
  void anUpdateLargeEnoughToSplitIsTheSameAsOnOneThread() {
    for (WorkerPool pool : new WorkerPool[] {TWO, THREE}) {
      for (int[] shape : new int[][] {{128, 784}, {10, 4096}, {9, 1024}, {4096, 10}}) {
        int rows = shape[0];
        int cols = shape[1];
        Rng rng = new Rng(rows);
        float[] x = KernelsTest.random(rng, rows * cols);
        float[] y = KernelsTest.random(rng, rows * cols);
        float[] expected = y.clone();
        Kernels.axpyRange(-0.1f, x, expected, rows, cols, 0, cols);
        new ParallelKernels(pool).axpy(-0.1f, x, y, rows, cols);
        assertThat(y).as("%d×%d on %s", rows, cols, pool).isEqualTo(expected);
      }
    }
  }

  @Test
  void elementWiseWorkIsCutIntoWholeVectorsCoveringEveryElementOnce() {
    for (WorkerPool pool : new WorkerPool[] {TWO, THREE}) {
      ParallelKernels kernels = new ParallelKernels(pool);
      int threshold = ParallelKernels.MIN_PARALLEL_ELEMENTS;
      for (int n :
          new int[] {0, 1, 63, threshold - 1, threshold, threshold + 65, 128_000, 200_001}) {
        int[] visits = new int[n];
        java.util.List<int[]> cuts =
            java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        kernels.slices(
            n,
            (from, to) -> {
              cuts.add(new int[] {from, to});
              threads.add(Thread.currentThread().getName());
              for (int i = from; i < to; i++) {
                visits[i]++; // each slice writes only its own elements
              }
            });
        assertThat(java.util.Arrays.stream(visits).filter(v -> v != 1).count())
            .as("n = %d on %s: elements not visited exactly once", n, pool)
            .isZero();
        for (int[] cut : cuts) {
          assertThat(cut[0] % ParallelKernels.SLICE).as("n = %d: a cut at %d", n, cut[0]).isZero();
        }
        if (n < threshold) {
          assertThat(cuts).as("n = %d below the threshold: one slice", n).hasSize(1);
          assertThat(threads).containsExactly(Thread.currentThread().getName());
        } else {
          assertThat(cuts.size())
              .as("n = %d: cut for %s", n, pool)
              .isGreaterThanOrEqualTo(pool.threads());
        }
      }
    }
  }

  @Test
  void aGatherLargeEnoughToSplitIsTheSameAsOnOneThread() {
    int n = 3000;
    int d = 784;
    Rng rng = new Rng(4);
    float[] src = KernelsTest.random(rng, n * d);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    rng.shuffle(order);
    for (WorkerPool pool : new WorkerPool[] {TWO, THREE}) {
      for (int rows : new int[] {1000, 37, 129}) {
        float[] expected = new float[rows * d];
        float[] got = new float[rows * d];
        Kernels.gatherRange(src, order, 500, d, expected, 0, rows);
        new ParallelKernels(pool).gatherRows(src, order, 500, rows, d, got);
        assertThat(got).as("%d rows on %s", rows, pool).isEqualTo(expected);
      }
    }
  }

  @Test
  void bytesGatheredAsFloatsAreEachByteOverTheDivisorOnAnyThreadsAndWidth() {
    // odd row lengths: the vector loop's tail, a row shorter than a vector, 784 (MNIST)
    for (int d : new int[] {784, 37, 5, 1, 65}) {
      int n = 700;
      byte[] src = new byte[n * d];
      new java.util.Random(d).nextBytes(src);
      src[0] = (byte) 255; // both ends of the range, whatever the random bytes hold
      src[1 % src.length] = 0;
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      new Rng(d).shuffle(order);
      order[300] = 0; // the row holding 255 and 0 is gathered
      for (float divisor : new float[] {255f, 3f, 0.1f}) {
        for (int rows : new int[] {400, 37, 1}) {
          float[] expected = new float[rows * d];
          for (int r = 0; r < rows; r++) {
            for (int j = 0; j < d; j++) {
              expected[r * d + j] = (src[order[300 + r] * d + j] & 0xFF) / divisor;
            }
          }
          for (Kernels k :
              new Kernels[] {
                ScalarKernels.INSTANCE,
                VectorKernels.INSTANCE,
                new ParallelKernels(TWO),
                new ParallelKernels(THREE)
              }) {
            float[] got = new float[rows * d];
            k.gatherUnsignedBytes(src, divisor, order, 300, rows, d, got);
            assertThat(got)
                .as("%s: %d rows of %d over %s", k, rows, d, divisor)
                .isEqualTo(expected);
          }
        }
      }
    }
  }

  @Test
  void productsOfChangingShapesOneAfterTheOtherEachGetTheirOwnCut() {
    ParallelKernels many = new ParallelKernels(THREE);
    Kernels one = VectorKernels.INSTANCE;
    Rng rng = new Rng(8);
    int[][] shapes = {{64, 200, 300}, {100, 30, 700}, {7, 513, 129}, {300, 64, 200}};
    for (int[] s : shapes) {
      int m = s[0];
      int n = s[1];
      int k = s[2];
      float[] a = KernelsTest.random(rng, m * k);
      float[] b = KernelsTest.random(rng, k * n);
      float[] at = KernelsTest.transpose(a, m, k);
      float[] bt = KernelsTest.transpose(b, k, n);
      float[] bias = KernelsTest.random(rng, n);
      float[] c1 = new float[m * n];
      float[] c2 = new float[m * n];
      // the weight gradient first, so no other product has set up the job it runs
      one.matmulTransA(at, b, c1, m, n, k);
      many.matmulTransA(at, b, c2, m, n, k);
      assertThat(c2).as("Aᵀ·B %s", s).isEqualTo(c1);
      one.matmul(a, b, c1, m, n, k);
      many.matmul(a, b, c2, m, n, k);
      assertThat(c2).as("A·B").isEqualTo(c1);
      one.matmulTransB(a, bt, bias, c1, m, n, k);
      many.matmulTransB(a, bt, bias, c2, m, n, k);
      assertThat(c2).as("A·Bᵀ + bias").isEqualTo(c1);
    }
  }
}
