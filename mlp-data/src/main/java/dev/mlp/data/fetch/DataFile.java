package dev.mlp.data.fetch;

/**
 * One file of a data set as stored in the cache: its uncompressed name, the SHA-256 of its
 * uncompressed content, and its exact uncompressed size (which bounds every download and
 * decompression).
 */
public record DataFile(String name, String sha256, long size) {
  public DataFile {
    if (!sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(name + ": sha256 must be 64 lower-case hex digits");
    }
    if (size < 1) {
      throw new IllegalArgumentException(name + ": size must be positive");
    }
  }
}
