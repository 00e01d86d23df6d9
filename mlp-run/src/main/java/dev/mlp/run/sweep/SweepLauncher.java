package dev.mlp.run.sweep;

/**
 * Where a sweep's trials run: processes of this machine ({@code local}), a Slurm job array ({@code
 * slurm}), or whatever a plugin registers with {@link LauncherModule#launcher}. A launcher only
 * starts and watches trials; each trial trains, records its result and resumes by itself (see
 * {@link SweepTrials}), so a launcher holds no state a sweep needs to finish.
 */
public interface SweepLauncher {
  /** Every trial ended. */
  int OK = 0;

  /** Some trials were stopped or cancelled and are left for {@code mlp sweep --resume}. */
  int INTERRUPTED = 130;

  /**
   * Runs every trial of {@code trials.pending()} to its end, calling {@link SweepTrials#started}
   * and {@link SweepTrials#finished} as it sees them, and returns {@link #OK} or {@link
   * #INTERRUPTED}. A launcher that cannot start the trials (its scheduler is not there or refuses
   * the job) throws a {@link dev.mlp.core.config.SpecException} or an {@link java.io.IOException}
   * whose message is one line for the user: the sweep folder stays as it is, to be resumed.
   */
  int launch(SweepTrials trials) throws Exception;
}
