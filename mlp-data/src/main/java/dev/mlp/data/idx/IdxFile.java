package dev.mlp.data.idx;

import java.util.Arrays;

/**
 * The content of an IDX file: its element type code, its dimensions and its raw big-endian element
 * bytes.
 */
public record IdxFile(String name, int dtype, int[] dims, byte[] data) {

  public static final int UBYTE = 0x08;

  /** Number of elements: the product of the dimensions. */
  public long count() {
    long n = 1;
    for (int d : dims) {
      n *= d;
    }
    return n;
  }

  /** Size in bytes of one element of the given type code, or -1 for an unknown code. */
  public static int elementSize(int dtype) {
    return switch (dtype) {
      case 0x08, 0x09 -> 1;
      case 0x0B -> 2;
      case 0x0C, 0x0D -> 4;
      case 0x0E -> 8;
      default -> -1;
    };
  }

  @Override
  public String toString() {
    return name + " dtype 0x" + Integer.toHexString(dtype) + " dims " + Arrays.toString(dims);
  }
}
