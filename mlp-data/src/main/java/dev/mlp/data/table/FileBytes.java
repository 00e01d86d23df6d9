package dev.mlp.data.table;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Bytes {@code [from, to)} of a file as a stream, read through memory-mapped windows of the file
 * (one copy, from the page cache straight into the caller's array, where a read call copies twice
 * and costs a system call per buffer), each window unmapped as soon as it is done with, so that the
 * file's pages do not stay in the process's resident memory. Where the JDK offers no way to unmap
 * ({@code sun.misc.Unsafe.invokeCleaner}), plain positional reads.
 */
final class FileBytes extends InputStream {
  static final int WINDOW = 32 << 20;

  /** {@code sun.misc.Unsafe.invokeCleaner(ByteBuffer)} bound to the instance, or null. */
  private static final MethodHandle UNMAP = unmapper();

  private final FileChannel ch;
  private final long end;
  private long next; // the file offset of the next window or read
  private MappedByteBuffer window;
  private ByteBuffer readBuffer; // when not mapped

  /** The bytes from {@code from} to {@code to}, or to the end of the file if it comes first. */
  FileBytes(FileChannel ch, long from, long to) throws IOException {
    this.ch = ch;
    this.next = from;
    this.end = Math.min(to, ch.size());
    if (UNMAP == null) {
      readBuffer = ByteBuffer.allocate(1 << 18).limit(0);
    }
  }

  private static MethodHandle unmapper() {
    try {
      Class<?> unsafe = Class.forName("sun.misc.Unsafe");
      java.lang.reflect.Field f = unsafe.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      return MethodHandles.lookup()
          .findVirtual(unsafe, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
          .bindTo(f.get(null));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    ByteBuffer source = readBuffer != null ? readBuffer : window;
    if (source == null || !source.hasRemaining()) {
      unmap();
      if (next >= end) {
        return -1;
      }
      if (readBuffer == null) {
        int size = (int) Math.min(WINDOW, end - next);
        try {
          window = ch.map(FileChannel.MapMode.READ_ONLY, next, size);
          next += size;
        } catch (IOException | UnsupportedOperationException e) {
          readBuffer = ByteBuffer.allocate(1 << 18).limit(0); // a file that cannot be mapped
        }
      }
      if (readBuffer != null) {
        readBuffer.clear().limit((int) Math.min(readBuffer.capacity(), end - next));
        int n = ch.read(readBuffer, next);
        if (n <= 0) {
          readBuffer.limit(0);
          return -1;
        }
        readBuffer.flip();
        next += n;
      }
      source = readBuffer != null ? readBuffer : window;
    }
    int n = Math.min(len, source.remaining());
    try {
      source.get(b, off, n);
    } catch (InternalError e) { // a mapped page gone: the file was cut short meanwhile
      throw new IOException("the file shrank while being read", e);
    }
    return n;
  }

  /** Fills {@code b} from the start as far as the bytes go; the count, or 0 at the end. */
  int readFully(byte[] b) throws IOException {
    int total = 0;
    while (total < b.length) {
      int n = read(b, total, b.length - total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  private void unmap() {
    if (window != null) {
      MappedByteBuffer w = window;
      window = null;
      try {
        UNMAP.invokeExact((ByteBuffer) w);
      } catch (Throwable e) {
        // left to the garbage collector
      }
    }
  }

  @Override
  public void close() {
    unmap();
  }
}
