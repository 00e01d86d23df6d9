package dev.mlp.serve;

/** A request the server refuses: its HTTP status and a one-line reason, sent as JSON. */
final class BadRequest extends Exception {
  private static final long serialVersionUID = 1L;
  private final int status;

  BadRequest(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }
}
