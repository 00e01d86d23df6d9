package dev.mlp.run.folder;

import dev.mlp.data.files.InputFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

/**
 * An exclusive lock on a folder mlp writes into (a run folder, a report folder), held from the
 * first check of what the folder holds to the last file written: two trainings, two resumes or a
 * report and a training cannot write one folder at once. It is an operating-system lock ({@link
 * FileChannel#tryLock}) on the file {@value #FILE} in the folder, so it ends with the process that
 * held it, whatever killed it; the file stays (removing it would let two processes lock two
 * different files of one name) and holds, for the message of whoever finds the folder taken, which
 * process holds it, doing what, since when.
 *
 * <p>A thread that holds a folder's lock may take it again (a training writes its report under the
 * lock it trained under); another thread of the same process may not.
 */
public final class RunLock implements AutoCloseable {
  /** The lock file's name in the folder. */
  public static final String FILE = ".mlp-lock";

  /** The most of a holder's description read back, in bytes. */
  private static final int MAX_HOLDER = 512;

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  /** The locks this process holds, by the folder's real path. */
  private static final Map<Path, RunLock> HELD = new HashMap<>();

  private final Path key;
  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private final Thread owner;
  private int count = 1;

  private RunLock(Path key, Path file, FileChannel channel, FileLock lock) {
    this.key = key;
    this.file = file;
    this.channel = channel;
    this.lock = lock;
    this.owner = Thread.currentThread();
  }

  /**
   * Takes the lock of {@code dir} (which must exist) for {@code doing} ("mlp train", "mlp report"),
   * or fails at once, naming who holds it.
   *
   * @throws RunBusyException when another process, or another thread of this one, holds it
   * @throws RunException when the lock file cannot be made (a read-only folder, a file system
   *     without locks)
   */
  public static RunLock acquire(Path dir, String doing) throws RunException {
    Path key;
    try {
      key = dir.toRealPath();
    } catch (IOException e) {
      throw new RunException(dir + ": cannot lock it: " + InputFiles.reason(e), e);
    }
    synchronized (HELD) {
      RunLock held = HELD.get(key);
      if (held != null) {
        if (held.owner != Thread.currentThread()) {
          throw new RunBusyException(
              dir + ": in use by another training or report of this process; wait for it to end");
        }
        held.count++;
        return held;
      }
      RunLock lock = take(dir, key, doing);
      HELD.put(key, lock);
      return lock;
    }
  }

  private static RunLock take(Path dir, Path key, String doing) throws RunException {
    Path file = key.resolve(FILE);
    // the file may be removed by a discard() between our open and our lock: then the lock we hold
    // is on a file of no name, and whoever makes the file anew would lock another; so try again
    for (int attempt = 0; attempt < 3; attempt++) {
      if (Files.isSymbolicLink(file) || Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new RunException(file + ": expected mlp's lock file, found something else");
      }
      FileChannel ch;
      try {
        ch =
            FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
      } catch (IOException e) {
        throw new RunException(dir + ": cannot lock it (" + file + "): " + why(e), e);
      }
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (IOException | OverlappingFileLockException e) {
        closeQuietly(ch);
        throw new RunException(dir + ": cannot lock it (" + file + "): " + why(e), e);
      }
      if (lock == null) {
        String holder = holder(ch);
        closeQuietly(ch);
        throw new RunBusyException(
            dir
                + ": in use by "
                + (holder.isEmpty() ? "another process" : holder)
                + "; wait for it to end, or stop it");
      }
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        closeQuietly(ch); // releases the lock
        continue;
      }
      try {
        String me =
            "mlp process "
                + ProcessHandle.current().pid()
                + " ("
                + doing
                + ", since "
                + TIME.format(Instant.now())
                + ")";
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      } catch (IOException e) {
        // who holds the lock is only told to others; the lock itself is held
      }
      return new RunLock(key, file, ch, lock);
    }
    throw new RunBusyException(dir + ": its lock file keeps being removed; try again");
  }

  /** What the holder wrote into the lock file: one line, or empty if it wrote nothing readable. */
  private static String holder(FileChannel ch) {
    try {
      ByteBuffer buf = ByteBuffer.allocate(MAX_HOLDER);
      ch.read(buf, 0);
      String s = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
      int nl = s.indexOf('\n');
      return (nl >= 0 ? s.substring(0, nl) : "").replaceAll("\\p{Cntrl}", "?").strip();
    } catch (IOException e) {
      return "";
    }
  }

  /** The lock file, to be removed with the folder by the holder. */
  Path file() {
    return file;
  }

  /** Lets the lock go (once every {@link #acquire} of this thread has been closed). */
  @Override
  public void close() {
    synchronized (HELD) {
      if (--count > 0) {
        return;
      }
      HELD.remove(key);
      try {
        lock.release();
      } catch (IOException e) {
        // closing the channel releases it too
      }
      closeQuietly(channel);
    }
  }

  private static String why(Exception e) {
    return e instanceof IOException io ? InputFiles.reason(io) : "locked by this process";
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // nothing was written through it
    }
  }
}
