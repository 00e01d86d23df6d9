package dev.mlp.data.fetch;

/**
 * Hears the bytes of each file as it is stored, for a progress bar. A data set's log (the {@code
 * Consumer<String>} every source is given) may also implement this; {@link FileStore} then reports
 * each transfer to it. Nothing else changes: the lines still go to the log.
 */
public interface TransferListener {

  /** A file of {@code bytes} bytes begins to arrive from {@code origin}. */
  Transfer start(String name, long bytes, String origin);

  /** One file's transfer. */
  interface Transfer extends AutoCloseable {
    /** {@code total} bytes have arrived so far. */
    void progressed(long total);

    /** The transfer has ended, whole or not. */
    @Override
    void close();
  }

  /** The listener in {@code log}, or one that hears nothing. */
  static TransferListener of(Object log) {
    return log instanceof TransferListener t ? t : (name, bytes, origin) -> NONE;
  }

  /** A transfer nobody watches. */
  Transfer NONE =
      new Transfer() {
        @Override
        public void progressed(long total) {}

        @Override
        public void close() {}
      };
}
