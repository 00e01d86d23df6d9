package dev.mlp.run.sweep;

import dev.mlp.core.config.SpecException;
import java.util.ArrayList;
import java.util.List;

/**
 * The trials of this machine: up to {@code parallel} processes at once, each one trial's command.
 * SIGTERM or Ctrl-C stops them all at their last step (each saves it) and returns {@link
 * #INTERRUPTED}.
 */
public final class LocalLauncher implements SweepLauncher {
  private final LocalLauncherSpec spec;

  public LocalLauncher(LocalLauncherSpec spec) {
    this.spec = spec;
  }

  /** Trials at once for {@code threads} each on {@code cores}: the spec's, else all that fit. */
  public int parallel(int threads, int cores) {
    int p = spec.parallel() != null ? spec.parallel() : Math.max(1, cores / threads);
    if ((long) p * threads > cores) {
      throw new SpecException(
          "launcher.parallel",
          "parallel "
              + p
              + " × threads "
              + threads
              + " = "
              + ((long) p * threads)
              + " threads on "
              + cores
              + " cores: they would slow each other down; lower one of them");
    }
    return p;
  }

  @Override
  public int launch(SweepTrials trials) throws Exception {
    int parallel = parallel(trials.threads(), Runtime.getRuntime().availableProcessors());
    List<Integer> todo = trials.pending();
    List<Process> running = new ArrayList<>();
    List<Integer> runningTrials = new ArrayList<>();
    boolean[] stopping = {false};
    Thread hook =
        new Thread(
            () -> {
              stopping[0] = true;
              synchronized (running) {
                running.forEach(Process::destroy); // SIGTERM: each saves its last step
                for (Process p : running) {
                  try {
                    p.waitFor();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }
              }
            },
            "mlp-sweep-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    int next = 0;
    try {
      while ((next < todo.size() || !running.isEmpty()) && !stopping[0]) {
        synchronized (running) {
          while (running.size() < parallel && next < todo.size() && !stopping[0]) {
            int t = todo.get(next++);
            running.add(
                new ProcessBuilder(trials.command(String.valueOf(t)))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(trials.log(t).toFile()))
                    .start());
            runningTrials.add(t);
            trials.started(t);
          }
        }
        Thread.sleep(100);
        synchronized (running) {
          for (int i = running.size() - 1; i >= 0; i--) {
            if (!running.get(i).isAlive() && !stopping[0]) {
              int t = runningTrials.get(i);
              running.remove(i);
              runningTrials.remove(i);
              trials.finished(t);
            }
          }
        }
      }
    } finally {
      if (!stopping[0]) {
        Runtime.getRuntime().removeShutdownHook(hook);
      }
    }
    return stopping[0] ? INTERRUPTED : OK;
  }
}
