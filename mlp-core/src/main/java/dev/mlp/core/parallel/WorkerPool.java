package dev.mlp.core.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Persistent worker threads for the many tiny parallel sections of a training step (each well under
 * a millisecond), where handing work to an executor costs more than it saves.
 *
 * <p>{@link #run} splits a job into chunks. Thread t (0 is the caller) owns a fixed contiguous
 * share of them, so the same thread touches the same slice of a weight matrix in the forward pass,
 * the weight gradient and the update, and that slice stays in its core's cache. A thread that has
 * done its own share steals chunks nobody has claimed yet, so a worker that is slow to start
 * (parked, or descheduled because another process holds its core) simply gets fewer. Idle workers
 * spin briefly for the next job, then park. If the caller still keeps waiting for a worker that
 * claimed a chunk and then lost its core, the pool runs jobs on the caller alone for a while
 * (longer each time in a row) before trying again: on a busy machine it degrades to one thread
 * instead of collapsing.
 *
 * <p>Results never depend on who ran a chunk: a job's chunks write disjoint outputs, each computed
 * the same way by any thread.
 */
public final class WorkerPool implements AutoCloseable {

  /** One parallel section, split into numbered chunks. */
  public interface Job {
    void run(int chunk);
  }

  /** Most chunks one job may have. */
  public static final int MAX_CHUNKS = 256;

  private static final int WORKER_SPIN = 1 << 15; // ≈ 0.1–1 ms of polling before parking
  private static final long LATE_NANOS = 300_000; // a wait this long: a worker was not running
  private static final int MIN_SOLO = 16;
  private static final int MAX_SOLO = 4096; // longest stretch of jobs run on the caller alone

  private final int threads;
  private final Thread[] workers;
  private final AtomicIntegerArray parked;
  private final AtomicLongArray claims = new AtomicLongArray(MAX_CHUNKS);
  private final AtomicInteger done = new AtomicInteger();
  private volatile Job job;
  private volatile int chunks;
  private volatile long generation;
  private volatile boolean closed;

  private int solo; // jobs left to run on the caller alone
  private int soloSpan = MIN_SOLO;

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
    if (count > MAX_CHUNKS) {
      throw new IllegalArgumentException("at most " + MAX_CHUNKS + " chunks, got " + count);
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
    long g = generation + 1;
    generation = g; // after job and chunks: a worker that sees the new generation sees both
    for (int w = 0; w < workers.length; w++) {
      if (parked.get(w) == 1) {
        LockSupport.unpark(workers[w]);
      }
    }
    long t0 = System.nanoTime();
    int mine = runShare(0, job, count, g);
    if (mine == count) {
      return; // the caller ran everything
    }
    long start = System.nanoTime();
    long perChunk = mine == 0 ? 0 : (start - t0) / mine;
    if (done.addAndGet(mine) != count) {
      awaitDone(count, start, perChunk);
    }
  }

  private void awaitDone(int count, long start, long nanosPerChunk) {
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
    } else if (soloSpan > MIN_SOLO) {
      soloSpan = Math.max(MIN_SOLO, soloSpan / 2);
    }
  }

  private void work(int id) {
    long seen = 0;
    while (!closed) {
      long g;
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
      seen = g;
      Job j = job;
      int count = chunks;
      if (generation != g) {
        continue; // the caller has moved on: j and count may belong to a newer job
      }
      // claims are stamped with g, so a worker this late can no longer claim anything
      int ran = runShare(id + 1, j, count, g);
      if (ran > 0) {
        done.addAndGet(ran);
      }
    }
  }

  /**
   * Runs thread {@code t}'s own chunks of generation {@code g}, then any chunk still unclaimed;
   * returns how many it ran. A chunk is claimed by stamping it with g, so each runs once.
   */
  private int runShare(int t, Job j, int count, long g) {
    int ran = 0;
    int from = (int) ((long) t * count / threads);
    int to = (int) ((long) (t + 1) * count / threads);
    for (int c = from; c < to; c++) {
      if (claim(c, g)) {
        j.run(c);
        ran++;
      }
    }
    for (int c = to; c < count; c++) {
      if (claim(c, g)) {
        j.run(c);
        ran++;
      }
    }
    for (int c = 0; c < from; c++) {
      if (claim(c, g)) {
        j.run(c);
        ran++;
      }
    }
    return ran;
  }

  private boolean claim(int chunk, long g) {
    long stamp = claims.get(chunk);
    return stamp < g && claims.compareAndSet(chunk, stamp, g);
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
