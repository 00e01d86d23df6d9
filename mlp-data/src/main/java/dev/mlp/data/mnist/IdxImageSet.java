package dev.mlp.data.mnist;

import dev.mlp.core.data.Dataset;
import dev.mlp.data.files.InputFiles;
import dev.mlp.data.idx.IdxFile;
import dev.mlp.data.idx.IdxFormatException;
import dev.mlp.data.idx.IdxReader;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns an IDX image file and an IDX label file into a {@link Dataset}: pixels scaled to [0, 1] as
 * pixel / 255 (kept as bytes, converted as rows are read: {@link Dataset#unsignedBytes}), checking
 * types, shapes, counts and label range.
 */
public final class IdxImageSet {
  private IdxImageSet() {}

  public static Dataset load(String name, Path images, Path labels, int numClasses)
      throws IOException {
    // the pixels stay bytes (a quarter of the memory of floats), checked (type, shape, memory)
    // before any is read
    IdxFile img =
        IdxReader.readUnsignedBytes(
            images,
            (h, alreadyRead) -> {
              if (h.dtype() != IdxFile.UBYTE || h.dims().length != 3) {
                throw new IdxFormatException(
                    images + ": expected unsigned-byte images [count, rows, cols], got " + h);
              }
              checkPixels(images, h.dims(), !alreadyRead);
            });
    IdxFile lab = IdxReader.read(labels);
    if (lab.dtype() != IdxFile.UBYTE || lab.dims().length != 1) {
      throw new IdxFormatException(labels + ": expected unsigned-byte labels [count], got " + lab);
    }
    int[] dims = img.dims();
    int count = dims[0];
    if (lab.dims()[0] != count) {
      throw new IdxFormatException(
          images
              + " holds "
              + count
              + " images but "
              + labels
              + " holds "
              + lab.dims()[0]
              + " labels");
    }
    int features = dims[1] * dims[2];
    int[] y = new int[count];
    byte[] lb = lab.data();
    for (int i = 0; i < count; i++) {
      y[i] = lb[i] & 0xFF;
      if (y[i] >= numClasses) {
        throw new IdxFormatException(
            labels + ": label " + y[i] + " at index " + i + " is outside 0.." + (numClasses - 1));
      }
    }
    return Dataset.unsignedBytes(name, img.data(), 255f, y, features, numClasses);
  }

  /**
   * Checks that an image of {@code dims} has pixels and, when {@code toAllocate}, that they fit in
   * memory, a byte each.
   */
  private static void checkPixels(Path images, int[] dims, boolean toAllocate) throws IOException {
    long pixels = (long) dims[1] * dims[2];
    if (pixels < 1 || pixels > Integer.MAX_VALUE) {
      throw new IdxFormatException(
          images
              + ": images of "
              + dims[1]
              + "×"
              + dims[2]
              + " pixels: an image needs 1 to "
              + Integer.MAX_VALUE
              + " pixels");
    }
    long bytes = (long) dims[0] * pixels; // the reader capped the file's bytes to an array's
    Runtime rt = Runtime.getRuntime();
    long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    if (toAllocate && bytes > free) {
      throw new IOException(
          images
              + ": its "
              + String.format("%,d", dims[0])
              + " images need "
              + InputFiles.bytes(bytes)
              + " of memory but Java may use only "
              + InputFiles.bytes(free)
              + " more; give Java more with MLP_JAVA_OPTS=-Xmx...");
    }
  }
}
