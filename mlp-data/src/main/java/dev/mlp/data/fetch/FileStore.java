package dev.mlp.data.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A cache folder of verified files. A file enters it only through {@link #store}: streamed to a
 * temporary file in the same folder, checked for size and SHA-256, then renamed into place, so a
 * reader never sees a partial or unverified file under its final name.
 */
public final class FileStore {
  private final Path dir;

  public FileStore(Path dir) {
    this(dir, SETTLED_NANOS);
  }

  /** For tests: stamps files changed at least {@code settledNanos} before they are hashed. */
  FileStore(Path dir, long settledNanos) {
    this.dir = dir;
    this.settledNanos = settledNanos;
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

  /**
   * Whether the cached copy exists and has the expected size and checksum.
   *
   * <p>Hashing MNIST's 55 MB takes a third of a second on every command, so a file whose SHA-256
   * matched is remembered in a stamp beside it ({@code .NAME.verified}: the checksum with the
   * file's size, inode, modification and change times). While all of those are the same, the file
   * has not been written since and is not hashed again. Any write, {@code touch} or replacement
   * changes the change time (which no program can set back), so it is hashed again; so is a file
   * changed less than {@link #SETTLED_NANOS} before it was hashed (a coarse clock could give a
   * write right after the hash the same times), and every file on a system that does not report
   * change times and inodes.
   */
  public boolean isValid(DataFile file) throws IOException {
    Path p = path(file);
    if (!Files.isRegularFile(p) || Files.size(p) != file.size()) {
      return false;
    }
    String stat = stat(p);
    Path stamp = stampPath(file);
    if (stat != null && stamp(stat, file).equals(readStamp(stamp))) {
      return true;
    }
    hashed++;
    if (!sha256(p).equals(file.sha256())) {
      return false;
    }
    String after = stat(p);
    if (after != null && after.equals(stat) && settled(p, settledNanos)) {
      writeStamp(stamp, stamp(after, file));
    }
    return true;
  }

  /** A write this close to the hash is not trusted to change the file's times visibly. */
  static final long SETTLED_NANOS = 2_000_000_000L;

  private final long settledNanos;
  private int hashed;

  /** How many files {@link #isValid} hashed (for tests: no clock decides). */
  int hashed() {
    return hashed;
  }

  Path stampPath(DataFile file) {
    return dir.resolve("." + file.name() + ".verified");
  }

  private static String stamp(String stat, DataFile file) {
    return "mlp verified " + file.sha256() + " " + stat + "\n";
  }

  /** Size, inode, modification and change time in nanoseconds; null when not all are known. */
  private static String stat(Path p) {
    try {
      Map<String, Object> a = Files.readAttributes(p, "unix:size,ino,dev,lastModifiedTime,ctime");
      Object ino = a.get("ino");
      Object dev = a.get("dev");
      Object ctime = a.get("ctime");
      if (ino == null || dev == null || !(ctime instanceof FileTime)) {
        return null;
      }
      return a.get("size")
          + " "
          + dev
          + ":"
          + ino
          + " "
          + nanos((FileTime) a.get("lastModifiedTime"))
          + " "
          + nanos((FileTime) ctime);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return null;
    }
  }

  private static long nanos(FileTime t) {
    return t.to(TimeUnit.NANOSECONDS);
  }

  private static boolean settled(Path p, long settledNanos) {
    if (settledNanos <= 0) {
      return true; // tests: no clock decides (the file clock and ours need not agree to the ms)
    }
    try {
      FileTime ctime = (FileTime) Files.getAttribute(p, "unix:ctime");
      Instant now = Instant.now();
      long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
      return nowNanos - nanos(ctime) >= settledNanos;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static String readStamp(Path stamp) {
    try {
      if (!Files.isRegularFile(stamp, LinkOption.NOFOLLOW_LINKS) || Files.size(stamp) > 512) {
        return null;
      }
      return Files.readString(stamp, StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Best effort: a cache that cannot take the stamp is only hashed again next time. */
  private void writeStamp(Path stamp, String content) {
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, stamp.getFileName().toString() + ".", ".part");
      Files.writeString(tmp, content, StandardCharsets.US_ASCII);
      Files.move(tmp, stamp, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      // nothing: the file was verified; only the next run's shortcut is lost
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          // nothing: a leftover hidden .part file is harmless and replaced by the next stamp
        }
      }
    }
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
