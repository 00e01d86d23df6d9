package dev.mlp.core.tensor;

import java.util.Arrays;

/**
 * A float32 matrix, row-major and batch-first: {@code rows} samples of {@code cols} features each.
 *
 * <p>The backing array may be larger than {@code rows * cols}: a layer keeps one buffer sized for
 * its largest batch and {@link #resize resizes} the view for a smaller last batch, so nothing is
 * allocated per training step.
 */
public final class Tensor {
  private float[] data;
  private int rows;
  private final int cols;

  public Tensor(int rows, int cols) {
    if (rows < 0 || cols < 1) {
      throw new IllegalArgumentException(
          "tensor shape must be rows >= 0, cols >= 1, got [" + rows + ", " + cols + "]");
    }
    this.rows = rows;
    this.cols = cols;
    this.data = new float[Math.multiplyExact(rows, cols)];
  }

  /** A tensor over the given values (not copied). */
  public static Tensor wrap(int rows, int cols, float[] values) {
    if (values.length < rows * cols) {
      throw new IllegalArgumentException(
          "need " + rows * cols + " values for [" + rows + ", " + cols + "], got " + values.length);
    }
    Tensor t = new Tensor(0, cols);
    t.data = values;
    t.rows = rows;
    return t;
  }

  public static Tensor of(int rows, int cols, float... values) {
    if (values.length != rows * cols) {
      throw new IllegalArgumentException(
          "need " + rows * cols + " values for [" + rows + ", " + cols + "], got " + values.length);
    }
    return wrap(rows, cols, values.clone());
  }

  /**
   * Returns a tensor of the given shape, reusing {@code buffer} when it has the same width and
   * enough capacity. Layers call this at the top of forward; it allocates only when a batch is
   * larger than any seen before.
   */
  public static Tensor reuse(Tensor buffer, int rows, int cols) {
    if (buffer != null && buffer.cols == cols && buffer.data.length >= rows * cols) {
      buffer.rows = rows;
      return buffer;
    }
    return new Tensor(rows, cols);
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** Number of elements in the current view: rows × cols. */
  public int size() {
    return rows * cols;
  }

  /** The backing array; element (r, c) is at {@code r * cols() + c}. */
  public float[] data() {
    return data;
  }

  public float get(int row, int col) {
    return data[index(row, col)];
  }

  public void set(int row, int col, float value) {
    data[index(row, col)] = value;
  }

  private int index(int row, int col) {
    if (row < 0 || row >= rows || col < 0 || col >= cols) {
      throw new IndexOutOfBoundsException(
          "(" + row + ", " + col + ") outside [" + rows + ", " + cols + "]");
    }
    return row * cols + col;
  }

  public void fill(float value) {
    Arrays.fill(data, 0, size(), value);
  }

  public Tensor copy() {
    return of(rows, cols, Arrays.copyOf(data, size()));
  }

  /** The current view's values as a new array. */
  public float[] toArray() {
    return Arrays.copyOf(data, size());
  }

  public String shape() {
    return "[" + rows + ", " + cols + "]";
  }

  @Override
  public String toString() {
    return "Tensor" + shape();
  }
}
