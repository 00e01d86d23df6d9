package dev.mlp.core.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Persistent worker threads for the many tiny parallel sections of a training step (each well under
 * a millisecond), where handing work to an executor costs more than it saves.
 *
 * <p>{@link #run} splits a job into chunks. Thread t (0 is the caller) owns a fixed contiguous
 * share of them, so the same thread touches the same slice of a weight matrix in the forward pass,
 * the weight gradient and the update, and that slice stays in its core's cache. A thread that has
 * done its own share takes the shares of threads that have not started on the job (parked, or
 * descheduled because another process holds their core), and the caller takes what a started worker
 * left unclaimed once that worker has fallen far behind (stalled); a worker merely a little slower
 * keeps its own chunks, and its data. Idle workers spin for 50 µs for the next job, then park.
 *
 * <p>Whether the workers help at all depends on the jobs and on what else the machine is doing. The
 * pool times the same stream of jobs with the workers and with the caller alone, keeps the faster
 * for a while (25 ms, doubling each time the same choice is made again, up to 0.4 s for the caller
 * alone and 3.2 s with the workers), then measures again: on a busy machine it falls back to one
 * thread instead of fighting other processes for cores. A probe during which the JIT compiled (it
 * does, on the other core, through a run's first seconds) is void and repeated in parallel:
 * otherwise the pool ran alone through most of the first epochs.
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

  private static final long SPIN_NANOS = 50_000; // polling for the next job before parking
  private static final long STALL_NANOS = 20_000; // a worker this far behind is taken as stalled
  private static final long PROBE_NANOS = 20_000_000L; // each mode is timed this long …
  private static final int PROBE_JOBS = 32; // … and over at least this many jobs
  private static final long FIRST_CHOSEN_NANOS = 25_000_000L; // then the faster runs this long …
  private static final long SOLO_CHOSEN_NANOS = 400_000_000L; // … doubling, up to this (alone) …
  private static final long PARALLEL_CHOSEN_NANOS = 3_200_000_000L; // … or this (with workers)

  private final int threads;
  private final Thread[] workers;
  private final AtomicIntegerArray parked;
  // Longs apart in claims and started that puts two entries on different cache lines: two threads
  // claiming their own chunks then do not pass one line back and forth.
  private static final int PAD = 16;
  private final AtomicLongArray claims = new AtomicLongArray(MAX_CHUNKS * PAD);
  private final AtomicLongArray started; // the generation each thread last started on
  private final AtomicInteger done = new AtomicInteger();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile Job job;
  private volatile int chunks;
  private volatile long generation;
  private volatile boolean closed;

  // The pool times the same stream of jobs (a training step repeats the same sections) with the
  // workers and with the caller alone, and keeps the faster for a while: phase 0 probes parallel,
  // phase 1 probes solo, phase 2 runs the winner; then it probes again.
  private int phase;
  private int phaseJobs;
  private long phaseStart;
  private long phaseWork;
  private double parallelNanosPerWork;
  private long compiledAtPhaseStart;
  private long chosenNanos = FIRST_CHOSEN_NANOS;
  private boolean lastSolo;
  private boolean decided;

  /** JIT compilation time (summed over compiler threads) that makes a probe's timing void. */
  private static final long JIT_BUSY_MILLIS = 2;

  /** The JVM's total JIT compilation time, or 0 where it is not reported. */
  private static final class JitClock {
    private static final java.lang.management.CompilationMXBean BEAN =
        java.lang.management.ManagementFactory.getCompilationMXBean();
    private static final boolean SUPPORTED =
        BEAN != null && BEAN.isCompilationTimeMonitoringSupported();

    static long millis() {
      return SUPPORTED ? BEAN.getTotalCompilationTime() : 0;
    }
  }

  private boolean solo;
  private long soloChoices;
  private long choices;

  public WorkerPool(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.threads = threads;
    this.workers = new Thread[threads - 1];
    this.parked = new AtomicIntegerArray(Math.max(1, threads - 1));
    this.started = new AtomicLongArray(threads * PAD);
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
   * How often timing showed the caller alone to be as fast as with the workers (the machine is busy
   * with other work, or the jobs are too small), so the pool ran single-threaded for a while.
   */
  public long soloChoices() {
    return soloChoices;
  }

  /**
   * How often timing chose between the workers and the caller alone ({@link #soloChoices} of them
   * went to the caller alone).
   */
  public long choices() {
    return choices;
  }

  /**
   * Runs chunks 0 … count−1 of {@code job}, on this thread and the workers, and returns when all
   * are done. Not reentrant: one caller at a time.
   */
  public void run(Job job, int count) {
    run(job, count, count);
  }

  /**
   * As {@link #run(Job, int)}, for a job of about {@code work} units (multiply-adds, say): the pool
   * compares its two ways of running by time per unit of work, so a change in the mix of jobs (a
   * test pass between epochs, with bigger products) does not pass for a change in speed.
   */
  public void run(Job job, int count, long work) {
    if (count <= 0) {
      return;
    }
    if (count > MAX_CHUNKS) {
      throw new IllegalArgumentException("at most " + MAX_CHUNKS + " chunks, got " + count);
    }
    if (workers.length > 0) {
      choose(Math.max(1, work));
    }
    if (workers.length == 0 || count == 1 || solo) {
      for (int c = 0; c < count; c++) {
        job.run(c);
      }
      return;
    }
    // A seqlock: an odd generation means "job and chunks are being rewritten". A worker reads
    // them between two reads of the same even generation, so it never pairs the old generation
    // with the new job (which once let a late worker run a chunk twice).
    long g = generation + 2;
    generation = g - 1;
    this.job = job;
    this.chunks = count;
    done.set(0);
    generation = g;
    for (int w = 0; w < workers.length; w++) {
      if (parked.get(w) == 1) {
        LockSupport.unpark(workers[w]);
      }
    }
    long start = System.nanoTime();
    int mine = runShare(0, job, count, g);
    if (mine != count && done.addAndGet(mine) != count) {
      awaitDone(job, count, g, System.nanoTime() - start);
    }
    // every chunk is done (or skipped after a failure) and no thread is still inside the job:
    // only now may a chunk's exception reach the caller, which may then reuse the job object
    Throwable t = failure.get();
    if (t == null) {
      return;
    }
    failure.set(null);
    if (t instanceof RuntimeException e) {
      throw e;
    } else if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException(t);
  }

  /**
   * Runs chunk c of j, keeping the first exception of the job for the caller instead of letting it
   * kill a worker (whose claimed chunk would then never count as done) or leave the caller while
   * workers still run the job. After a failure the job's remaining chunks are skipped.
   */
  private void runChunk(Job j, int c) {
    if (failure.get() != null) {
      return;
    }
    try {
      j.run(c);
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
    }
  }

  /** Advances the measured choice between running with the workers and on the caller alone. */
  private void choose(long work) {
    long now = System.nanoTime();
    if (phaseJobs == 0) {
      phaseStart = now;
    }
    long elapsed = now - phaseStart;
    if (phaseJobs < PROBE_JOBS || elapsed < (phase == 2 ? chosenNanos : PROBE_NANOS)) {
      phaseJobs++;
      phaseWork += work;
      return;
    }
    double perWork = (double) elapsed / phaseWork;
    phaseJobs = 1;
    phaseWork = work;
    phaseStart = now;
    long compiled = JitClock.millis();
    boolean jitBusy = compiled - compiledAtPhaseStart > JIT_BUSY_MILLIS;
    compiledAtPhaseStart = compiled;
    if (jitBusy && phase != 2) {
      // the JIT compiled on some core during this probe (the first seconds of a run): the
      // timings say more about it than about the workers, so probe again, in parallel
      phase = 0;
      solo = false;
      return;
    }
    switch (phase) {
      case 0 -> {
        parallelNanosPerWork = perWork;
        phase = 1;
        solo = true;
      }
      case 1 -> {
        // the workers must win clearly: a tie goes to the caller alone, which leaves the other
        // cores to whoever else wants them
        solo = perWork < parallelNanosPerWork * 1.05;
        // a choice holds for 25 ms, twice as long each time it is made again: early timings (the
        // JIT still at work) mislead, and a wrong choice should not last. The caller alone is
        // probed again after 0.4 s at most, as it leaves a core idle if the machine has freed
        // up. The workers hold up to 3.2 s: every cycle probes the caller alone for at least
        // PROBE_JOBS jobs (two steps of a wide network, some 50 ms on one thread), which at
        // 0.4 s cost bench-wide.yaml 7 % of its speed, and a worker that loses its core while
        // the choice holds has its chunks taken (awaitDone): no collapse was measured.
        chosenNanos =
            decided && solo == lastSolo
                ? Math.min(2 * chosenNanos, solo ? SOLO_CHOSEN_NANOS : PARALLEL_CHOSEN_NANOS)
                : FIRST_CHOSEN_NANOS;
        lastSolo = solo;
        decided = true;
        choices++;
        if (solo) {
          soloChoices++;
        }
        phase = 2;
      }
      default -> {
        phase = 0;
        solo = false;
      }
    }
  }

  /**
   * Waits for the workers to finish the chunks they have started on. A worker late to start had its
   * share taken in {@link #runShare}; one that started but then stalls (another process took its
   * core) has what it left unclaimed taken here, once it is behind by as long as the caller's own
   * share took, and at least {@link #STALL_NANOS}.
   */
  private void awaitDone(Job job, int count, long g, long ownNanos) {
    int spins = 0;
    long since = 0;
    long stealAfter = System.nanoTime() + Math.max(STALL_NANOS, ownNanos);
    boolean stolen = false;
    while (done.get() != count) {
      if (!stolen && (spins & 63) == 0 && System.nanoTime() > stealAfter) {
        stolen = true;
        int ran = 0;
        for (int c = count - 1; c >= 0; c--) {
          if (claim(c, g)) {
            runChunk(job, c);
            ran++;
          }
        }
        if (ran > 0) {
          done.addAndGet(ran);
        }
        continue;
      }
      if (++spins < 1 << 12) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
        if ((spins & 1023) == 0) {
          long now = System.nanoTime();
          if (since == 0) {
            since = now;
          } else if (now - since > 1_000_000_000L && allParked() && done.get() != count) {
            // a worker parks only between jobs, so nobody is running the missing chunks: fail
            // loudly rather than wait forever
            throw new IllegalStateException(
                "worker pool stalled: " + done.get() + " of " + count + " chunks done");
          }
        }
      }
    }
  }

  private boolean allParked() {
    for (int w = 0; w < workers.length; w++) {
      if (parked.get(w) == 0) {
        return false;
      }
    }
    return true;
  }

  private void work(int id) {
    long seen = 0;
    while (true) {
      long g = awaitJob(id, seen);
      if (g < 0) {
        break;
      }
      Job j = job;
      int count = chunks;
      if (generation != g) {
        continue; // the caller has moved on: j and count may belong to a newer job
      }
      seen = g;
      // claims are stamped with g, so a worker this late can no longer claim anything
      int ran = runShare(id + 1, j, count, g);
      if (ran > 0) {
        done.addAndGet(ran);
      }
    }
  }

  /**
   * Waits for a job newer than generation {@code seen}: polls for a short while (the gaps inside a
   * training step are shorter), then parks, since an idle worker must not take CPU from the caller
   * or from other processes. Returns the job's generation, or −1 once the pool is closed.
   *
   * <p>A method of its own, called once a job, so that the JIT compiles it as a method: as a loop
   * inside {@link #work}, which never returns, it could only be compiled on-stack, and the first
   * park (a branch never taken while the compiler profiled) threw the worker back into the
   * interpreter for seconds, during which two threads trained slower than one.
   */
  private long awaitJob(int id, long seen) {
    long g;
    int spins = 0;
    long spinStart = System.nanoTime();
    while (((g = generation) == seen || (g & 1) == 1) && !closed) {
      Thread.onSpinWait();
      if ((++spins & 63) == 0 && System.nanoTime() - spinStart > SPIN_NANOS) {
        parked.set(id, 1);
        long now = generation;
        if ((now == seen || (now & 1) == 1) && !closed) {
          LockSupport.park(this);
        }
        parked.set(id, 0);
        spinStart = System.nanoTime();
      }
    }
    return closed ? -1 : g;
  }

  /**
   * Runs thread {@code t}'s own chunks of generation {@code g}, then any chunk still unclaimed;
   * returns how many it ran. A chunk is claimed by stamping it with g, so each runs once.
   */
  private int runShare(int t, Job j, int count, long g) {
    started.set(t * PAD, g);
    int ran = 0;
    int from = (int) ((long) t * count / threads);
    int to = (int) ((long) (t + 1) * count / threads);
    for (int c = from; c < to; c++) {
      if (claim(c, g)) {
        runChunk(j, c);
        ran++;
      }
    }
    // then the shares of threads that have not started on this job (parked, or descheduled), from
    // their ends. Taking the next chunk of a thread at work would save little and move its rows of
    // the weights into this core's cache, making it slower on them the next time.
    for (int u = 1; u < threads; u++) {
      int owner = (t + u) % threads;
      if (started.get(owner * PAD) == g) {
        continue;
      }
      int ownerFrom = (int) ((long) owner * count / threads);
      for (int c = (int) ((long) (owner + 1) * count / threads) - 1; c >= ownerFrom; c--) {
        if (claim(c, g)) {
          runChunk(j, c);
          ran++;
        }
      }
    }
    return ran;
  }

  private boolean claim(int chunk, long g) {
    long stamp = claims.get(chunk * PAD);
    return stamp < g && claims.compareAndSet(chunk * PAD, stamp, g);
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
