package dev.mlp.data.idx;

import java.io.IOException;

/** A file that is not valid IDX, or not the IDX that was expected. The message names the file. */
public final class IdxFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public IdxFormatException(String message) {
    super(message);
  }

  public IdxFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
