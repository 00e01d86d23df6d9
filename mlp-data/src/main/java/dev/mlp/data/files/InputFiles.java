package dev.mlp.data.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The rules for every file mlp reads that a user hands it (configs, checkpoints, plugin jars, run
 * folders' files, data files): only regular files, never a FIFO that would block the read forever
 * or a device such as {@code /dev/zero} that never ends; never more than a stated number of bytes;
 * text is UTF-8 or refused naming the line; and every failure is one line naming the file and the
 * reason in words ("permission denied"), not a bare path.
 */
public final class InputFiles {
  private InputFiles() {}

  /**
   * Checks that {@code file} is a regular file (symbolic links followed) before anything opens it.
   *
   * @param what what the file should be, for the message ("config file", "checkpoint")
   * @return its size in bytes
   */
  public static long requireRegularFile(Path file, String what) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new InputFileException(file + ": no such " + what);
    } catch (IOException e) {
      throw new InputFileException(file + ": cannot read the " + what + ": " + reason(e), e);
    }
    if (a.isDirectory()) {
      throw new InputFileException(file + ": is a folder; expected a " + what);
    }
    if (!a.isRegularFile()) {
      throw new InputFileException(
          file
              + ": is "
              + special(file)
              + ", not a regular file; expected a "
              + what
              + " (mlp reads only regular files)");
    }
    return a.size();
  }

  /**
   * All bytes of {@code file}, a regular file of at most {@code max} bytes.
   *
   * @param what what the file should be, for messages
   */
  public static byte[] readBytes(Path file, long max, String what) throws IOException {
    long size = requireRegularFile(file, what);
    if (size > max) {
      throw new InputFileException(
          file + ": is " + bytes(size) + "; a " + what + " may be at most " + bytes(max));
    }
    try (InputStream in = Files.newInputStream(file)) {
      // the size can grow between the check and the read: never read past the bound
      byte[] b = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
      if (b.length > max) {
        throw new InputFileException(
            file + ": grew past " + bytes(max) + " while being read; a " + what + " may not");
      }
      return b;
    } catch (InputFileException e) {
      throw e;
    } catch (IOException e) {
      throw new InputFileException(file + ": cannot read the " + what + ": " + reason(e), e);
    }
  }

  /**
   * {@code file} as UTF-8 text, a regular file of at most {@code max} bytes; text that is not UTF-8
   * is refused naming the line and column of the first bad byte.
   */
  public static String readText(Path file, long max, String what) throws IOException {
    return utf8(readBytes(file, max, what), file.toString());
  }

  /**
   * {@code bytes} decoded as UTF-8 (a leading byte-order mark dropped), or an error naming {@code
   * name}, the line and the column of the first byte that is not UTF-8.
   */
  public static String utf8(byte[] bytes, String name) throws InputFileException {
    int start =
        bytes.length >= 3
                && (bytes[0] & 0xff) == 0xef
                && (bytes[1] & 0xff) == 0xbb
                && (bytes[2] & 0xff) == 0xbf
            ? 3
            : 0;
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, start, bytes.length - start))
          .toString();
    } catch (CharacterCodingException e) {
      int bad = firstBadUtf8(bytes, start);
      int line = 1;
      int lineStart = start;
      for (int i = start; i < bad; i++) {
        if (bytes[i] == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      throw new InputFileException(
          name
              + ":"
              + line
              + ":"
              + (bad - lineStart + 1)
              + ": not UTF-8 text (byte 0x"
              + Integer.toHexString(bytes[bad] & 0xff)
              + "); save the file as UTF-8");
    }
  }

  /**
   * The error for a text file that is not UTF-8, naming the line and column (in bytes) of its first
   * byte that is not, found by reading the file through once (a line of any length); for the error
   * path of a reader that decoded with {@link CodingErrorAction#REPORT} and failed.
   */
  public static InputFileException notUtf8(Path file) throws IOException {
    java.nio.charset.CharsetDecoder dec =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    byte[] b = new byte[1 << 16];
    ByteBuffer in = ByteBuffer.wrap(b);
    in.limit(0);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(1 << 16);
    long base = 0; // the file offset of b[0]
    long line = 1;
    long lineStart = 0;
    boolean eof = false;
    try (InputStream s = Files.newInputStream(file)) {
      while (!eof) {
        base += in.position();
        in.compact();
        int n = s.read(b, in.position(), in.remaining());
        if (n < 0) {
          eof = true;
        } else {
          in.position(in.position() + n);
        }
        in.flip();
        java.nio.charset.CoderResult r;
        do {
          int from = in.position();
          r = dec.decode(in, out, eof);
          for (int i = from; i < in.position(); i++) {
            if (b[i] == '\n') { // never inside a multi-byte sequence
              line++;
              lineStart = base + i + 1;
            }
          }
          out.clear();
          if (r.isError()) {
            long at = base + in.position();
            return new InputFileException(
                file
                    + ":"
                    + line
                    + ":"
                    + (at - lineStart + 1)
                    + ": not UTF-8 text (byte 0x"
                    + Integer.toHexString(b[in.position()] & 0xff)
                    + "); save the file as UTF-8");
          }
        } while (r.isOverflow());
      }
    } catch (IOException e) {
      return new InputFileException(file + ": cannot read: " + reason(e), e);
    }
    return new InputFileException(file + ": not UTF-8 text; save the file as UTF-8");
  }

  /**
   * A reader of {@code file} as UTF-8 that fails ({@link java.nio.charset.MalformedInputException},
   * wrapped by whoever reads it) on the first byte that is not, where {@link
   * Files#newBufferedReader} would too but a reader built from a charset would put in U+FFFD
   * silently.
   */
  public static java.io.Reader utf8Reader(Path file) throws IOException {
    java.io.PushbackReader r =
        new java.io.PushbackReader(
            new java.io.InputStreamReader(
                Files.newInputStream(file),
                StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)),
            1);
    try {
      int first = r.read(); // a byte-order mark is dropped, as a CSV reader given a path drops it
      if (first >= 0 && first != '\uFEFF') {
        r.unread(first);
      }
    } catch (CharacterCodingException e) { // in the first bytes the reader decoded
      r.close();
      throw notUtf8(file);
    } catch (IOException e) {
      r.close();
      throw e;
    }
    return r;
  }

  /** The offset of the first byte that does not begin or continue a valid UTF-8 sequence. */
  private static int firstBadUtf8(byte[] b, int from) {
    int i = from;
    while (i < b.length) {
      int c = b[i] & 0xff;
      int n =
          c < 0x80
              ? 0
              : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c <= 0xf4 ? 3 : -1;
      if (c >= 0x80 && c < 0xc2 || n < 0 || i + n >= b.length) {
        return i;
      }
      for (int k = 1; k <= n; k++) {
        if ((b[i + k] & 0xc0) != 0x80) {
          return i;
        }
      }
      int second = n > 0 ? b[i + 1] & 0xff : 0x80;
      boolean overlongOrSurrogate =
          c == 0xe0 && second < 0xa0
              || c == 0xed && second >= 0xa0
              || c == 0xf0 && second < 0x90
              || c == 0xf4 && second >= 0x90;
      if (overlongOrSurrogate) {
        return i;
      }
      i += n + 1;
    }
    return Math.max(from, b.length - 1);
  }

  /** What a file that is not regular is, in words. */
  private static String special(Path file) {
    try {
      Object type = Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      if (type instanceof Integer mode) {
        return switch (mode & 0170000) {
          case 0010000 -> "a FIFO (named pipe)";
          case 0020000 -> "a character device";
          case 0060000 -> "a block device";
          case 0140000 -> "a socket";
          default -> "a special file";
        };
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      // not a Unix file system: say it plainly
    }
    return "a special file";
  }

  /**
   * Why an I/O operation failed, in words: "permission denied", "no such file or folder", the
   * operating system's reason ("Read-only file system", "No space left on device"), never a bare
   * path.
   */
  public static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or folder";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    if (e instanceof FileSystemException) {
      return e.getClass().getSimpleName().replace("Exception", "").replace("FileSystem", "error");
    }
    String m = e.getMessage();
    return m == null || m.isBlank()
        ? e.getClass().getSimpleName()
        : m.replaceAll("\\s*\\R\\s*", " ");
  }

  /** A byte count for people: "812 bytes", "3.2 MB", "1.5 GB". */
  public static String bytes(long n) {
    if (n < 1024) {
      return n + " bytes";
    }
    String[] units = {"KB", "MB", "GB", "TB", "PB", "EB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return (v >= 100 ? String.format("%.0f", v) : String.format("%.1f", v)) + " " + units[u];
  }
}
