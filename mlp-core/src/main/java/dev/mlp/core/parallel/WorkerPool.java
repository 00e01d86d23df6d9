package dev.mlp.core.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Persistent worker threads for the many tiny parallel sections of a training step (each well under
 * a millisecond), where handing work to an executor costs more than it saves.
 *
 * <p>{@link #run} splits a job into chunks that the calling thread and the workers claim from a
 * shared counter, so a worker that is slow to start (parked, or descheduled because another process
 * holds its core) simply gets fewer chunks. Idle workers spin briefly for the next job, then park.
 * If the caller keeps having to wait for workers that hold a chunk but are not running, the pool
 * runs jobs on the caller alone for a while (backing off exponentially) before trying again: on a
 * busy machine it degrades to one thread instead of collapsing.
 *
 * <p>Results never depend on who ran a chunk: a job's chunks write disjoint outputs, each computed
 * the same way by any thread.
 */
public final class WorkerPool implements AutoCloseable {

  /** One parallel section, split into numbered chunks. */
  public interface Job {
    void run(int chunk);
  }

  private static final int WORKER_SPIN = 1 << 15; // ≈ 50–100 µs of polling before parking
  private static final long LATE_NANOS = 300_000; // a wait this long means a worker was not running
  private static final int MAX_SOLO = 4096; // longest stretch of jobs run on the caller alone

  private final int threads;
  private final Thread[] workers;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger done = new AtomicInteger();
  private volatile Job job;
  private volatile int chunks;
  private volatile long generation;
  private volatile boolean closed;
  private final AtomicIntegerArray parked;

  private int solo; // jobs left to run on the caller alone
  private int soloSpan = 16;

  public WorkerPool(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.threads = threads;
    this.workers = new Thread[threads - 1];
    this.parked = new AtomicIntegerArray(Math.max(1, threads - 1));
    for (int w = 0; w < workers.length; w++) {
      int id = w;
      Thread t = new Thread(() -> work(id), "mlp-worker-" + (w + 1));
      t.setDaemon(true);
      workers[w] = t;
      t.start();
    }
  }

  public int threads() {
    return threads;
  }

  /**
   * Runs chunks 0 … count−1 of {@code job}, on this thread and the workers, and returns when all
   * are done. Not reentrant: one caller at a time.
   */
  public void run(Job job, int count) {
    if (count <= 0) {
      return;
    }
    if (workers.length == 0 || count == 1 || solo > 0) {
      if (solo > 0) {
        solo--;
      }
      for (int c = 0; c < count; c++) {
        job.run(c);
      }
      return;
    }
    this.job = job;
    this.chunks = count;
    done.set(0);
    next.set(0); // after job and chunks: a worker that claims a chunk sees both
    generation++;
    for (int w = 0; w < workers.length; w++) {
      if (parked.get(w) == 1) {
        LockSupport.unpark(workers[w]);
      }
    }
    long t0 = System.nanoTime();
    int mine = 0;
    int c;
    while ((c = next.getAndIncrement()) < count) {
      job.run(c);
      mine++;
    }
    if (mine == count) {
      return; // nobody else ran anything; done is not needed
    }
    long start = System.nanoTime();
    done.addAndGet(mine);
    awaitDone(count, start, mine == 0 ? 0 : (start - t0) / mine);
  }

  private void awaitDone(int count, long start, long nanosPerChunk) {
    if (done.get() == count) {
      return;
    }
    int spins = 0;
    while (done.get() != count) {
      if (++spins < 1 << 12) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
    if (System.nanoTime() - start > LATE_NANOS + 2 * nanosPerChunk) {
      // a worker held a chunk without running: go solo for a while, longer each time in a row
      solo = soloSpan;
      soloSpan = Math.min(MAX_SOLO, soloSpan * 2);
    } else if (soloSpan > 16) {
      soloSpan = Math.max(16, soloSpan / 2);
    }
  }

  private void work(int id) {
    long seen = 0;
    while (!closed) {
      long g = generation;
      if (g == seen) {
        int spins = 0;
        while ((g = generation) == seen && !closed) {
          if (++spins < WORKER_SPIN) {
            Thread.onSpinWait();
          } else {
            parked.set(id, 1);
            if (generation == seen && !closed) {
              LockSupport.park(this);
            }
            parked.set(id, 0);
            spins = 0;
          }
        }
      }
      seen = g;
      int c;
      while ((c = next.getAndIncrement()) < chunks) {
        job.run(c);
        done.incrementAndGet();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Thread t : workers) {
      LockSupport.unpark(t);
    }
  }

  @Override
  public String toString() {
    return threads + (threads == 1 ? " thread" : " threads");
  }
}
