package dev.mlp.core.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every chunk of every job runs exactly once, across many tiny jobs whose chunk counts change from
 * one job to the next (what once let a late worker pair an old generation with a new job).
 */
class WorkerPoolTest {
  @Tag("stress") // 200,000 jobs: left out of mutation testing (see the root pom)
  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {2, 3})
  void everyChunkOfEveryJobRunsExactlyOnce(int threads) {
    int jobs = 200_000;
    AtomicIntegerArray runs = new AtomicIntegerArray(WorkerPool.MAX_CHUNKS);
    try (WorkerPool pool = new WorkerPool(threads)) {
      for (int j = 0; j < jobs; j++) {
        int count = 1 + (j * 7 + j / 3) % 16;
        int spin = j % 5;
        pool.run(
            chunk -> {
              runs.incrementAndGet(chunk);
              for (int k = 0; k < spin * 20; k++) {
                Thread.onSpinWait();
              }
            },
            count);
        for (int c = 0; c < WorkerPool.MAX_CHUNKS; c++) {
          int r = runs.getAndSet(c, 0);
          if (r != (c < count ? 1 : 0)) {
            fail("job %d (%d chunks): chunk %d ran %d times", j, count, c, r);
          }
        }
      }
    }
    assertThat(runs.get(0)).isZero();
  }

  @org.junit.jupiter.api.Test
  void theCallerTakesWhatAStalledWorkerLeftUnclaimed() {
    // The worker's share is chunks 2 and 3; chunk 2 cannot finish before chunk 3 has run (a worker
    // whose core another process took, seen from the caller). The caller must take chunk 3, or the
    // job never ends.
    AtomicIntegerArray runs = new AtomicIntegerArray(4);
    try (WorkerPool pool = new WorkerPool(2)) {
      for (int rep = 0; rep < 20; rep++) {
        java.util.concurrent.CountDownLatch chunk3 = new java.util.concurrent.CountDownLatch(1);
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(20),
            () ->
                pool.run(
                    chunk -> {
                      runs.incrementAndGet(chunk);
                      if (chunk == 3) {
                        chunk3.countDown();
                      } else if (chunk == 2) {
                        try {
                          chunk3.await();
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                      }
                    },
                    4));
      }
    }
    for (int c = 0; c < 4; c++) {
      assertThat(runs.get(c)).as("chunk %d", c).isEqualTo(20);
    }
  }

  @org.junit.jupiter.api.Test
  void anExceptionInAChunkReachesTheCallerAndThePoolGoesOn() {
    // chunk 3 is the worker's (2 threads, 4 chunks), chunk 0 the caller's: either way the caller
    // gets the exception once no thread is inside the job any more, and the next job runs whole
    try (WorkerPool pool = new WorkerPool(2)) {
      for (int r = 0; r < 200; r++) {
        int rep = r;
        int bad = rep % 2 == 0 ? 3 : 0;
        IllegalArgumentException boom = new IllegalArgumentException("chunk " + bad);
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(20),
            () -> {
              Throwable thrown =
                  org.assertj.core.api.Assertions.catchThrowable(
                      () ->
                          pool.run(
                              chunk -> {
                                if (chunk == bad) {
                                  throw boom;
                                }
                              },
                              4,
                              1L << 20));
              assertThat(thrown).as("rep %d", rep).isSameAs(boom);
              AtomicIntegerArray runs = new AtomicIntegerArray(4);
              pool.run(runs::incrementAndGet, 4, 1L << 20);
              for (int c = 0; c < 4; c++) {
                assertThat(runs.get(c)).as("rep %d, next job's chunk %d", rep, c).isEqualTo(1);
              }
            });
      }
    }
  }
}
