package dev.mlp.cli;

/** What the exit code of {@code mlp} means. */
public final class ExitCode {
  public static final int OK = 0;

  /** A bug in mlp: an error it did not anticipate. */
  public static final int INTERNAL = 1;

  /** Bad input: config, data file, command-line arguments, or no data source reachable. */
  public static final int BAD_INPUT = 2;

  /** Training produced a NaN or infinite loss. */
  public static final int DIVERGED = 3;

  /** {@code mlp gradcheck} found a backward pass that disagrees with central differences. */
  public static final int CHECK_FAILED = 4;

  /**
   * A plugin's layer threw (in forward, backward or its factory): the fault is the plugin's, named
   * with its jar, not mlp's (1) nor the input's (2).
   */
  public static final int PLUGIN_FAILED = 5;

  /**
   * The run folder (or report folder) is in use by another mlp process, named in the message: a
   * training, a resume or a report. Trying again once it has ended can succeed.
   */
  public static final int BUSY = 6;

  /**
   * Training was stopped by Ctrl-C or SIGTERM after saving where it was (as shells count 128+2).
   */
  public static final int INTERRUPTED = 130;

  /**
   * Standard output's reader went away ({@code mlp … | head}): the rest is not written, and the
   * code is the one a shell gives a process ended by SIGPIPE (128 + 13), with no message.
   */
  public static final int BROKEN_PIPE = 141;

  private ExitCode() {}
}
