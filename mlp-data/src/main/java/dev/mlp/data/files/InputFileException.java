package dev.mlp.data.files;

import java.io.IOException;

/** A file handed to mlp cannot be read as what it should be; the message is one line naming it. */
public final class InputFileException extends IOException {
  private static final long serialVersionUID = 1L;

  public InputFileException(String message) {
    super(message);
  }

  public InputFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
