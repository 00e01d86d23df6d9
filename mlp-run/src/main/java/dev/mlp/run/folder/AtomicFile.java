package dev.mlp.run.folder;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Writes a file so that a reader, a crash or {@code kill -9} at any moment sees either the old file
 * whole or the new one whole: the bytes go to a temporary file in the same folder, are forced to
 * disk, and the temporary file is renamed over the target. On failure the temporary file is deleted
 * and the old file is untouched.
 */
public final class AtomicFile {
  private static final SecureRandom RANDOM = new SecureRandom();

  private AtomicFile() {}

  /** What fills the file. */
  @FunctionalInterface
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }

  /** Replaces {@code target} with what {@code writer} writes, atomically. */
  public static void write(Path target, Writer writer) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    // a fresh name in the same folder (so the rename cannot cross file systems), created with the
    // permissions the user's umask gives any new file
    Path tmp =
        dir.resolve(
            "." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
    boolean done = false;
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream out = Channels.newOutputStream(ch);
        writer.write(out);
        out.flush();
        ch.force(true);
      } catch (IOException e) {
        // "No space left on device" alone would not say which file, nor that nothing was lost
        throw new IOException(
            target + ": cannot write (" + e.getMessage() + "); the previous file is untouched", e);
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
      syncFolder(dir);
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /**
   * Replaces {@code target} with {@code prepared}, a whole file already written in the same folder,
   * atomically; {@code prepared} is gone afterwards.
   */
  public static void replaceWith(Path target, Path prepared) throws IOException {
    try (FileChannel ch = FileChannel.open(prepared, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    try {
      Files.move(
          prepared, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(prepared, target, StandardCopyOption.REPLACE_EXISTING);
    }
    syncFolder(target.toAbsolutePath().getParent());
  }

  /** Replaces {@code target} with {@code bytes}, atomically. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  /** Makes the rename itself durable where the file system allows it (Linux does). */
  private static void syncFolder(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // not every platform can open a folder; the rename is atomic without it
    }
  }
}
