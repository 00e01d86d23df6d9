package dev.mlp.serve;

/**
 * How {@link ModelServer} serves.
 *
 * @param host the address to bind (127.0.0.1 unless told otherwise)
 * @param port the port; 0 for any free one
 * @param workers model replicas, so requests run this many at once (one core each)
 * @param maxBodyBytes the largest request body; a larger one gets 413
 * @param maxBatch the most rows (inputs) one request may hold; more gets 413
 * @param idleTimeoutMillis a connection silent this long is closed (a slow or stalled client)
 * @param reload whether a replaced checkpoint file is loaded and served
 * @param reloadPollMillis how often the checkpoint file is looked at when reloading
 */
public record ServeOptions(
    String host,
    int port,
    int workers,
    long maxBodyBytes,
    int maxBatch,
    long idleTimeoutMillis,
    boolean reload,
    long reloadPollMillis) {

  /** 16 MiB: a batch of 1,024 MNIST rows in JSON is about 7 MB. */
  public static final long MAX_BODY_BYTES = 16L << 20;

  public static final int MAX_BATCH = 1024;

  public static final long IDLE_TIMEOUT_MILLIS = 30_000;

  public ServeOptions {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be between 0 and 65535, got " + port);
    }
    if (workers < 1 || workers > 256) {
      throw new IllegalArgumentException("--workers must be between 1 and 256, got " + workers);
    }
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException(
          "--max-body must be at least 1024 bytes, got " + maxBodyBytes);
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("--max-batch must be at least 1, got " + maxBatch);
    }
    if (idleTimeoutMillis < 100) {
      throw new IllegalArgumentException(
          "--idle-timeout must be at least 100 ms, got " + idleTimeoutMillis + " ms");
    }
  }
}
