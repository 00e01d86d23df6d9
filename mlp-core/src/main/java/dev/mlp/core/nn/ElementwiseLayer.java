package dev.mlp.core.nn;

/**
 * A layer applied element by element (an activation): its output has its input's width. The
 * subclass writes forward and backward; this keeps the width bookkeeping in one place.
 */
public abstract class ElementwiseLayer implements Layer {
  private final int size;

  protected ElementwiseLayer(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("width must be positive, got " + size);
    }
    this.size = size;
  }

  /** Features per sample, in and out. */
  protected final int size() {
    return size;
  }

  @Override
  public final int inputSize() {
    return size;
  }

  @Override
  public final int outputSize() {
    return size;
  }
}
