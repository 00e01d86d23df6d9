package dev.mlp.run.folder;

/**
 * A folder mlp would write into is locked by another training, resume or report ({@link RunLock});
 * the message names who holds it. Trying again later can succeed, unlike any other {@link
 * RunException}.
 */
public final class RunBusyException extends RunException {
  private static final long serialVersionUID = 1L;

  public RunBusyException(String message) {
    super(message);
  }
}
