package dev.mlp.run.sweep;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code mlp sweep} hands a {@link SweepLauncher}: the trials still to run and how to run one.
 * A trial is run by one command ({@link #command}) that trains it in its run folder under {@link
 * #dir()} (resuming it if it has a checkpoint), records how it ended beside it, and exits: 0 when
 * it ended (done, failed or pruned: {@link #ended} then says so), 130 when SIGTERM stopped it at
 * its last step (it is left unfinished, for {@code --resume}). Any process on any machine that sees
 * the sweep folder at the same path may run it.
 */
public interface SweepTrials {

  /** The sweep folder, absolute. */
  Path dir();

  /** The indices of the trials to run, in order. */
  List<Integer> pending();

  /** Threads (cores) each trial uses. */
  int threads();

  /**
   * The command that runs trial {@code index} to its end. {@code index} is put in as given, so a
   * scheduler's variable (e.g. {@code $SLURM_ARRAY_TASK_ID}) may stand for it in a script.
   */
  List<String> command(String index);

  /** The trial's folder name, e.g. {@code 0003}. */
  String name(int index);

  /** A file for the trial's own output (a launcher of this machine appends to it). */
  Path log(int index);

  /** Whether trial {@code index} has recorded its end (done, failed or pruned). */
  boolean ended(int index);

  /** Tells the sweep that a trial started: its live table counts it as running. */
  void started(int index);

  /** Tells the sweep that a trial's command has ended: the live table prints its line. */
  void finished(int index);

  /** Where the launcher says what it does (a submitted job, a cancelled one). */
  PrintWriter out();

  /** The command that finishes this sweep later, for the launcher's messages. */
  String resumeCommand();
}
