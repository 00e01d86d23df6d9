package dev.mlp.core.nn;

import dev.mlp.core.tensor.Tensor;

/**
 * An activation: y = f(x) element by element, and dX = dY ⊙ f′. A subclass writes its formula and
 * its derivative side by side, as loops over plain arrays ({@link #forward(float[], float[], int)},
 * {@link #backward(float[], float[], float[], float[], int)}); this class does the rest once: the
 * width, the output and input-gradient buffers (sized for the largest batch and re-viewed for a
 * smaller one, so a warm step allocates nothing), and the input and output kept for backward.
 *
 * <p>The formulas are called once per batch, not once per element: each subclass's loop is compiled
 * on its own (and may call a vectorised routine of {@code Elementwise}), whatever other activations
 * the program uses.
 */
public abstract class Activation extends ElementwiseLayer {
  private Tensor input;
  private Tensor output;
  private Tensor gradInput;

  protected Activation(int size) {
    super(size);
  }

  /** y[i] = f(x[i]) for i &lt; n. */
  protected abstract void forward(float[] x, float[] y, int n);

  /**
   * dx[i] = dL/dx[i] from dy[i] = dL/dy[i], for i &lt; n; x and y = f(x) are those of the last
   * forward pass.
   */
  protected abstract void backward(float[] x, float[] y, float[] dy, float[] dx, int n);

  @Override
  public final Tensor forward(Tensor x, Mode mode) {
    input = x;
    output = Tensor.reuse(output, x.rows(), size());
    forward(x.data(), output.data(), x.size());
    return output;
  }

  @Override
  public final Tensor backward(Tensor dy) {
    gradInput = Tensor.reuse(gradInput, dy.rows(), size());
    backward(input.data(), output.data(), dy.data(), gradInput.data(), dy.size());
    return gradInput;
  }

  /** The type name, e.g. {@code relu}; an activation with a setting shows it too. */
  @Override
  public String toString() {
    return typeName();
  }
}
