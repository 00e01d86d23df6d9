package dev.mlp.core.nn;

/**
 * A layer applied element by element: its output has its input's width. This keeps the width
 * bookkeeping in one place; an {@link Activation} (y = f(x)) also has its buffers kept for it, a
 * layer such as dropout writes its own forward and backward.
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
