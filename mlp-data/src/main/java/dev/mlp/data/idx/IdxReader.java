package dev.mlp.data.idx;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (LeCun's format for MNIST), raw or gzip-compressed, checking everything before
 * trusting it: the magic number, the element type, the dimensions against the data actually
 * present, and never allocating more than the file can hold.
 */
public final class IdxReader {
  public static final int MAX_DIMS = 8;

  /** Largest data size accepted by default: what one Java array can hold. */
  public static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 16;

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
    if (!Files.isRegularFile(file)) {
      throw new IdxFormatException(name + ": no such file");
    }
    long size = Files.size(file);
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      if (b0 == 0x1f && b1 == 0x8b) {
        return read(new GZIPInputStream(raw, 1 << 16), name, -1, maxDataBytes);
      }
      return read(raw, name, size, maxDataBytes);
    }
  }

  /**
   * Reads one IDX stream.
   *
   * @param knownSize the stream's exact length if known (a raw file), else -1 (gzip): then the
   *     declared size is read and any byte beyond it is an error, so a bomb is never inflated
   *     further than the header promised
   */
  public static IdxFile read(InputStream in, String name, long knownSize, long maxDataBytes)
      throws IOException {
    try {
      return readUnchecked(new DataInputStream(in), name, knownSize, maxDataBytes);
    } catch (EOFException e) {
      throw new IdxFormatException(name + ": truncated: the file ends before its declared data");
    } catch (ZipException e) {
      throw new IdxFormatException(name + ": corrupt gzip data (" + e.getMessage() + ")", e);
    }
  }

  private static IdxFile readUnchecked(
      DataInputStream in, String name, long knownSize, long maxDataBytes) throws IOException {
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
    int[] dims = new int[ndims];
    long bytes = elementSize;
    for (int i = 0; i < ndims; i++) {
      dims[i] = in.readInt();
      if (dims[i] < 0) {
        throw new IdxFormatException(name + ": dimension " + i + " is negative (" + dims[i] + ")");
      }
      bytes *= dims[i];
      if (bytes > Math.min(maxDataBytes, MAX_DATA_BYTES)) {
        throw new IdxFormatException(
            name
                + ": the header declares more than "
                + Math.min(maxDataBytes, MAX_DATA_BYTES)
                + " data bytes; refusing to read it");
      }
    }
    long header = 4L + 4L * ndims;
    if (knownSize >= 0 && knownSize != header + bytes) {
      throw new IdxFormatException(
          String.format(
              "%s: the header declares %s = %d data bytes but the file holds %d",
              name, dimsText(dims), bytes, knownSize - header));
    }
    byte[] data = new byte[(int) bytes];
    in.readFully(data);
    if (knownSize < 0 && in.read() != -1) {
      throw new IdxFormatException(
          name + ": more data than its header declares (" + dimsText(dims) + ")");
    }
    return new IdxFile(name, dtype, dims, data);
  }

  private static String dimsText(int[] dims) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < dims.length; i++) {
      sb.append(i == 0 ? "" : "×").append(dims[i]);
    }
    return sb.toString();
  }
}
