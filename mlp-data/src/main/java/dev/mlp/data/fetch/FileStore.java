package dev.mlp.data.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A cache folder of verified files. A file enters it only through {@link #store}: streamed to a
 * temporary file in the same folder, checked for size and SHA-256, then renamed into place, so a
 * reader never sees a partial or unverified file under its final name.
 */
public final class FileStore {
  private final Path dir;

  public FileStore(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /**
   * Makes the cache folder if it is not there, before any source is tried: a folder that cannot be
   * made or written is the cache's fault, named as such, not a failure of every source.
   *
   * @throws IOException naming the folder, the reason and {@code MLP_HOME}
   */
  public void requireWritable() throws IOException {
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(Files.createTempFile(dir, ".write-check.", ".tmp"));
    } catch (IOException e) {
      throw new IOException(
          dir
              + ": cannot use it as the data cache ("
              + dev.mlp.data.files.InputFiles.reason(e)
              + "); set MLP_HOME to a folder you may write (default: ~/.cache/mlp)",
          e);
    }
  }

  public Path path(DataFile file) {
    return dir.resolve(file.name());
  }

  /** Whether the cached copy exists and has the expected size and checksum. */
  public boolean isValid(DataFile file) throws IOException {
    Path p = path(file);
    return Files.isRegularFile(p)
        && Files.size(p) == file.size()
        && sha256(p).equals(file.sha256());
  }

  /**
   * Copies {@code content} (uncompressed bytes) into the cache as {@code file}, after checking its
   * size and checksum; reads at most one byte more than the expected size.
   *
   * @throws IOException naming the file and what was wrong; the cache is left as it was
   */
  public void store(DataFile file, InputStream content, String origin) throws IOException {
    store(file, content, origin, null);
  }

  /**
   * {@link #store(DataFile, InputStream, String)}, reporting the bytes to {@code log} when it is a
   * {@link TransferListener}.
   */
  public void store(DataFile file, InputStream content, String origin, Object log)
      throws IOException {
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.name() + ".", ".part");
    try {
      MessageDigest md = newDigest();
      long n;
      try (OutputStream out = Files.newOutputStream(tmp);
          InputStream in = new DigestInputStream(content, md)) {
        try (TransferListener.Transfer t =
            TransferListener.of(log).start(file.name(), file.size(), origin)) {
          n = copyAtMost(in, out, file.size() + 1, t);
        }
      }
      if (n != file.size()) {
        throw new IOException(
            origin
                + ": "
                + file.name()
                + " has "
                + (n > file.size() ? "more than " + file.size() : String.valueOf(n))
                + " bytes; expected "
                + file.size());
      }
      String actual = HexFormat.of().formatHex(md.digest());
      if (!actual.equals(file.sha256())) {
        throw new IOException(
            origin + ": " + file.name() + " has SHA-256 " + actual + "; expected " + file.sha256());
      }
      try {
        Files.move(tmp, path(file), StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, path(file), StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static long copyAtMost(
      InputStream in, OutputStream out, long limit, TransferListener.Transfer t)
      throws IOException {
    byte[] buf = new byte[1 << 16];
    long total = 0;
    while (total < limit) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, limit - total));
      if (r < 0) {
        break;
      }
      out.write(buf, 0, r);
      total += r;
      t.progressed(total);
    }
    return total;
  }

  /** Hex SHA-256 of a file's bytes. */
  public static String sha256(Path file) throws IOException {
    MessageDigest md = newDigest();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      int r;
      while ((r = in.read(buf)) >= 0) {
        md.update(buf, 0, r);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
