package dev.mlp.run.folder;

import java.io.IOException;

/** A run folder that cannot be used as asked; the message names the folder or file. */
public final class RunException extends IOException {
  private static final long serialVersionUID = 1L;

  public RunException(String message) {
    super(message);
  }
}
