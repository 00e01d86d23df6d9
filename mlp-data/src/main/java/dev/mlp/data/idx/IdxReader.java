package dev.mlp.data.idx;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (LeCun's format for MNIST), raw or gzip-compressed, checking everything before
 * trusting it: the magic number, the element type, the dimensions against the data actually
 * present. Memory is allocated as data arrives, never up front for what a header only claims, and a
 * gzip stream is never inflated further than one byte past its declared size.
 */
public final class IdxReader {
  public static final int MAX_DIMS = 8;

  /** Largest data size accepted by default: what one Java array can hold. */
  public static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 16;

  /** The first buffer for data of unknown length (gzip); it doubles as data arrives. */
  private static final int FIRST_CHUNK = 1 << 16;

  /**
   * Deflate's largest possible expansion, bytes out per byte in (a 258-byte match costs at least
   * two bits). A gzip file of known size cannot inflate to more than this many times its size.
   */
  static final long MAX_DEFLATE_RATIO = 1032;

  /** The largest first buffer a gzip file's size can buy: a crafted file wastes no more. */
  static final int MAX_UP_FRONT = 256 << 20;

  private IdxReader() {}

  /** Reads {@code file}, detecting gzip by its magic bytes. */
  public static IdxFile read(Path file) throws IOException {
    return read(file, MAX_DATA_BYTES);
  }

  /**
   * Reads {@code file}, refusing one whose header declares more than {@code maxDataBytes} of data
   * before reading (or inflating) any of it.
   */
  public static IdxFile read(Path file, long maxDataBytes) throws IOException {
    String name = file.toString();
    return withFile(file, (in, size) -> read(in, name, size, maxDataBytes));
  }

  /** Reads an opened file of {@code size} bytes. */
  @FunctionalInterface
  private interface Reading<T> {
    T read(InputStream in, long size) throws IOException;
  }

  /**
   * Opens {@code file} for {@code reading}, naming the file in what goes wrong: a folder, a missing
   * or special file, a denied or failed read. A {@link HeaderCheck}'s refusal passes unchanged.
   */
  private static <T> T withFile(Path file, Reading<T> reading) throws IOException {
    String name = file.toString();
    if (Files.isDirectory(file)) {
      throw new IdxFormatException(name + ": is a folder, not an IDX file");
    }
    if (!Files.isRegularFile(file)) {
      throw new IdxFormatException(name + ": no such file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return reading.read(in, Files.size(file));
    } catch (Refused e) {
      throw e.refusal;
    } catch (IdxFormatException e) {
      throw e;
    } catch (AccessDeniedException e) {
      throw new IOException(name + ": cannot read: permission denied", e);
    } catch (IOException e) {
      throw new IOException(name + ": cannot read: " + oneLine(e), e);
    }
  }

  /**
   * Reads one IDX stream, raw or gzip (detected by its first two bytes).
   *
   * @param knownSize the stream's exact length if known, else -1. For gzip, whose inflated length
   *     is unknown, the declared size is read and any byte beyond it is an error, so a bomb is
   *     never inflated further than the header promised; the known compressed length only sizes the
   *     first buffer: the declared size at once (up to {@link #MAX_UP_FRONT}) when the file could
   *     hold it ({@link #MAX_DEFLATE_RATIO} times its length), which saves MNIST's 47 MB a chain of
   *     doubling copies
   */
  public static IdxFile read(InputStream in, String name, long knownSize, long maxDataBytes)
      throws IOException {
    InputStream raw = new BufferedInputStream(in, 1 << 16);
    try {
      if (gzipped(raw)) {
        long inflatedAtMost = knownSize < 0 ? -1 : knownSize * MAX_DEFLATE_RATIO;
        return readUnchecked(
            new DataInputStream(new GZIPInputStream(raw, 1 << 16)),
            name,
            -1,
            inflatedAtMost,
            maxDataBytes);
      }
      return readUnchecked(new DataInputStream(raw), name, knownSize, knownSize, maxDataBytes);
    } catch (EOFException e) {
      throw new IdxFormatException(name + ": truncated: the file ends inside its header");
    } catch (ZipException e) {
      throw new IdxFormatException(name + ": corrupt gzip data (" + oneLine(e) + ")", e);
    }
  }

  /** A checked header: the element type, the dimensions, and the data bytes they declare. */
  public record Header(String name, int dtype, int[] dims, long bytes) {
    /** The number of elements: the product of the dimensions. */
    public long count() {
      return bytes / IdxFile.elementSize(dtype);
    }

    @Override
    public String toString() {
      return name + " dtype 0x" + Integer.toHexString(dtype) + " dims " + Arrays.toString(dims);
    }
  }

  /**
   * What {@link #readUnsignedBytes} asks about a file's checked header before it reads any data (a
   * raw file) or once it has inflated it (gzip, {@code alreadyRead} true: its data is in memory
   * then, so a check of the memory it needs has nothing left to refuse): it throws to refuse the
   * file, and what it throws reaches the caller unchanged. It is asked before the reader checks the
   * element type, so that a caller can name what it expected.
   */
  @FunctionalInterface
  public interface HeaderCheck {
    void check(Header header, boolean alreadyRead) throws IOException;
  }

  /**
   * Reads an unsigned-byte IDX file whose header {@code check} accepts. A raw file's data goes
   * straight into one array of the size its header declares (and its length confirms) once {@code
   * check} has seen the header; a gzip file is read whole first, as {@link #read(Path)} does, since
   * only inflating it tells how much data it truly holds.
   *
   * @throws IdxFormatException for what {@link #read(Path)} refuses, and for elements that are not
   *     unsigned bytes
   */
  public static IdxFile readUnsignedBytes(Path file, HeaderCheck check) throws IOException {
    String name = file.toString();
    return withFile(
        file,
        (in, knownSize) -> {
          BufferedInputStream raw = new BufferedInputStream(in, 1 << 16);
          if (gzipped(raw)) {
            IdxFile whole = read(raw, name, knownSize, MAX_DATA_BYTES);
            accept(check, new Header(name, whole.dtype(), whole.dims(), whole.data().length), true);
            return whole;
          }
          DataInputStream data = new DataInputStream(raw);
          Header h;
          try {
            h = header(data, name, knownSize, MAX_DATA_BYTES);
          } catch (EOFException e) {
            throw new IdxFormatException(name + ": truncated: the file ends inside its header");
          }
          accept(check, h, false);
          return new IdxFile(
              name, h.dtype(), h.dims(), readData(data, name, (int) h.bytes(), (int) h.bytes()));
        });
  }

  /** What a {@link HeaderCheck} threw, carried past the handler that names read failures. */
  private static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;
    final transient IOException refusal;

    Refused(IOException refusal) {
      super(refusal.getMessage(), refusal);
      this.refusal = refusal;
    }
  }

  private static void accept(HeaderCheck check, Header h, boolean alreadyRead) throws IOException {
    try {
      check.check(h, alreadyRead); // first: the caller names what it expected
    } catch (IOException e) {
      throw new Refused(e);
    }
    if (h.dtype() != IdxFile.UBYTE) {
      throw new IdxFormatException(h + ": expected unsigned bytes (IDX type 0x08)");
    }
  }

  /** Reads and checks a header; a known size must be exactly the header plus its data. */
  private static Header header(DataInputStream in, String name, long knownSize, long maxDataBytes)
      throws IOException {
    int magic = in.readInt();
    if ((magic >>> 16) != 0) {
      throw new IdxFormatException(
          String.format(
              "%s: not an IDX file: magic 0x%08x does not start with two zero bytes", name, magic));
    }
    int dtype = (magic >>> 8) & 0xFF;
    int ndims = magic & 0xFF;
    int elementSize = IdxFile.elementSize(dtype);
    if (elementSize < 0) {
      throw new IdxFormatException(
          String.format(
              "%s: unknown IDX element type 0x%02x (known: 0x08 0x09 0x0b 0x0c 0x0d 0x0e)",
              name, dtype));
    }
    if (ndims < 1 || ndims > MAX_DIMS) {
      throw new IdxFormatException(
          name + ": " + ndims + " dimensions declared; expected 1 to " + MAX_DIMS);
    }
    long limit = Math.min(maxDataBytes, MAX_DATA_BYTES);
    int[] dims = new int[ndims];
    long bytes = elementSize;
    for (int i = 0; i < ndims; i++) {
      dims[i] = in.readInt();
      if (dims[i] < 0) {
        throw new IdxFormatException(name + ": dimension " + i + " is negative (" + dims[i] + ")");
      }
      bytes *= dims[i]; // at most limit × 2^31 < 2^62: no overflow
      if (bytes > limit) {
        throw new IdxFormatException(
            name + ": the header declares more than " + limit + " data bytes; refusing to read it");
      }
    }
    long header = 4L + 4L * ndims;
    if (knownSize >= 0 && knownSize != header + bytes) {
      throw new IdxFormatException(
          String.format(
              "%s: the header declares %s = %d data bytes but the file holds %d",
              name, dimsText(dims), bytes, knownSize - header));
    }
    return new Header(name, dtype, dims, bytes);
  }

  /** Whether {@code buffered} starts with gzip's magic bytes; it is left where it was. */
  private static boolean gzipped(InputStream buffered) throws IOException {
    buffered.mark(2);
    int b0 = buffered.read();
    int b1 = buffered.read();
    buffered.reset();
    return b0 == 0x1f && b1 == 0x8b;
  }

  private static IdxFile readUnchecked(
      DataInputStream in, String name, long knownSize, long sizeBound, long maxDataBytes)
      throws IOException {
    Header h = header(in, name, knownSize, maxDataBytes);
    long header = 4L + 4L * h.dims().length;
    long bytes = h.bytes();
    // a known size was checked against the file; an unknown one is only a claim until data arrives,
    // and sizes the first buffer only when the compressed file could hold that much
    int first =
        knownSize >= 0
            ? (int) bytes
            : sizeBound >= header + bytes ? (int) Math.min(bytes, MAX_UP_FRONT) : FIRST_CHUNK;
    byte[] data = readData(in, name, (int) bytes, first);
    if (knownSize < 0 && readPastEnd(in, name) != -1) {
      throw new IdxFormatException(
          name + ": more data than its header declares (" + dimsText(h.dims()) + ")");
    }
    return new IdxFile(name, h.dtype(), h.dims(), data);
  }

  /** Reads exactly {@code bytes}, growing the buffer geometrically from {@code first}. */
  private static byte[] readData(InputStream in, String name, int bytes, int first)
      throws IOException {
    byte[] buf = new byte[Math.min(bytes, first)];
    int got = 0;
    while (got < bytes) {
      if (got == buf.length) {
        buf = Arrays.copyOf(buf, (int) Math.min(bytes, 2L * buf.length));
      }
      int r;
      try {
        r = in.read(buf, got, buf.length - got);
      } catch (EOFException e) { // gzip: the compressed stream ends early
        r = -1;
      }
      if (r < 0) {
        throw new IdxFormatException(
            name + ": truncated: declared " + bytes + " data bytes, got " + got);
      }
      got += r;
    }
    return buf;
  }

  /** The byte after the declared data: -1 at a clean end. */
  private static int readPastEnd(InputStream in, String name) throws IOException {
    try {
      return in.read();
    } catch (EOFException e) {
      throw new IdxFormatException(
          name + ": truncated: the gzip stream ends before its end marker", e);
    }
  }

  private static String oneLine(Exception e) {
    String m = e.getMessage();
    String what = m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    return what.replaceAll("\\s*\\R\\s*", " ");
  }

  private static String dimsText(int[] dims) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < dims.length; i++) {
      sb.append(i == 0 ? "" : "×").append(dims[i]);
    }
    return sb.toString();
  }
}
