package dev.mlp.cli;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Standard output that remembers why a write failed. A {@code PrintWriter} (or {@code System.out})
 * keeps only that something failed; the cause tells a closed pipe ({@code mlp … | head}, which is
 * how pipes end) from a full disk or a file size limit, which is an error the user must hear of.
 */
final class WatchedOutput extends OutputStream {
  private final OutputStream out;
  private IOException failure;

  WatchedOutput(OutputStream out) {
    this.out = out;
  }

  /** The first write that failed, or null. */
  IOException failure() {
    return failure;
  }

  /** Whether the failure was the reader going away (EPIPE). */
  boolean brokenPipe() {
    return failure != null
        && failure.getMessage() != null
        && failure.getMessage().contains("Broken pipe");
  }

  @Override
  public void write(int b) throws IOException {
    try {
      out.write(b);
    } catch (IOException e) {
      throw noted(e);
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    try {
      out.write(b, off, len);
    } catch (IOException e) {
      throw noted(e);
    }
  }

  @Override
  public void flush() throws IOException {
    try {
      out.flush();
    } catch (IOException e) {
      throw noted(e);
    }
  }

  private IOException noted(IOException e) {
    if (failure == null) {
      failure = e;
    }
    return e;
  }
}
