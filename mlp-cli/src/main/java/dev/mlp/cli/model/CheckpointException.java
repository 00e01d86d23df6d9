package dev.mlp.cli.model;

import java.io.IOException;

/** A checkpoint file that cannot be used; the message names the file and what is wrong. */
public final class CheckpointException extends IOException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }
}
