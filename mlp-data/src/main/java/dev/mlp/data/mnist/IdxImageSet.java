package dev.mlp.data.mnist;

import dev.mlp.core.data.Dataset;
import dev.mlp.data.idx.IdxFile;
import dev.mlp.data.idx.IdxFormatException;
import dev.mlp.data.idx.IdxReader;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns an IDX image file and an IDX label file into a {@link Dataset}: pixels scaled to [0, 1] as
 * pixel / 255, checking types, shapes, counts and label range.
 */
public final class IdxImageSet {
  private static final int SLICE = 1 << 14;

  private IdxImageSet() {}

  private static void scale(byte[] px, int from, int to, float[] x) {
    for (int i = from; i < to; i++) {
      x[i] = (px[i] & 0xFF) / 255f;
    }
  }

  public static Dataset load(String name, Path images, Path labels, int numClasses)
      throws IOException {
    IdxFile img = IdxReader.read(images);
    IdxFile lab = IdxReader.read(labels);
    if (img.dtype() != IdxFile.UBYTE || img.dims().length != 3) {
      throw new IdxFormatException(
          images + ": expected unsigned-byte images [count, rows, cols], got " + img);
    }
    if (lab.dtype() != IdxFile.UBYTE || lab.dims().length != 1) {
      throw new IdxFormatException(labels + ": expected unsigned-byte labels [count], got " + lab);
    }
    int count = img.dims()[0];
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
    long pixels = (long) img.dims()[1] * img.dims()[2];
    if (pixels < 1 || pixels > Integer.MAX_VALUE) {
      throw new IdxFormatException(
          images
              + ": images of "
              + img.dims()[1]
              + "×"
              + img.dims()[2]
              + " pixels: an image needs 1 to "
              + Integer.MAX_VALUE
              + " pixels");
    }
    int features = (int) pixels;
    byte[] px = img.data();
    Runtime rt = Runtime.getRuntime();
    long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    if (4L * px.length > free) {
      throw new java.io.IOException(
          images
              + ": its "
              + String.format("%,d", count)
              + " images need "
              + dev.mlp.data.files.InputFiles.bytes(4L * px.length)
              + " of memory as float32 but Java may use only "
              + dev.mlp.data.files.InputFiles.bytes(free)
              + " more; give Java more with MLP_JAVA_OPTS=-Xmx...");
    }
    float[] x = new float[px.length];
    // in slices: a method called often is compiled (and vectorised) long before one long loop is
    for (int from = 0; from < px.length; from += SLICE) {
      scale(px, from, Math.min(px.length, from + SLICE), x);
    }
    int[] y = new int[count];
    byte[] lb = lab.data();
    for (int i = 0; i < count; i++) {
      y[i] = lb[i] & 0xFF;
      if (y[i] >= numClasses) {
        throw new IdxFormatException(
            labels + ": label " + y[i] + " at index " + i + " is outside 0.." + (numClasses - 1));
      }
    }
    return new Dataset(name, x, y, features, numClasses);
  }
}
