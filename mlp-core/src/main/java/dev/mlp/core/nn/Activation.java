package dev.mlp.core.nn;

import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.tensor.Tensor;

/**
 * An activation: y = f(x) element by element, and dX = dY ⊙ f′. A subclass writes its formula and
 * its derivative side by side, as loops over a slice of plain arrays ({@link #forward(float[],
 * float[], int, int)}, {@link #backward(float[], float[], float[], float[], int, int)}); this class
 * does the rest once: the width, the output and input-gradient buffers (sized for the largest batch
 * and re-viewed for a smaller one, so a warm step allocates nothing), the input and output kept for
 * backward, and cutting a large batch (an evaluation's 1,000 rows, say) between the threads of the
 * model's {@link Kernels}.
 *
 * <p>The formulas are called once per slice, not once per element: each subclass's loop is compiled
 * on its own (and may call a vectorised routine of {@code Elementwise}), whatever other activations
 * the program uses. A slice's bounds fall anywhere in the array (at multiples of 64), and slices
 * run at the same time on the pool's threads, so a formula must compute each element on its own and
 * write nothing but its slice of the output (an exception in a slice reaches the caller).
 */
public abstract class Activation extends ElementwiseLayer {
  private final Kernels kernels;
  private Tensor input;
  private Tensor output;
  private Tensor gradOutput;
  private Tensor gradInput;
  private final Kernels.Slice forwardSlice =
      (from, to) -> forward(input.data(), output.data(), from, to);
  private final Kernels.Slice backwardSlice =
      (from, to) ->
          backward(input.data(), output.data(), gradOutput.data(), gradInput.data(), from, to);

  /** An activation computed on the calling thread. */
  protected Activation(int size) {
    this(size, Kernels.defaults());
  }

  /** An activation whose large batches are cut between the threads of {@code kernels}. */
  protected Activation(int size, Kernels kernels) {
    super(size);
    this.kernels = kernels;
  }

  /** y[i] = f(x[i]) for from ≤ i &lt; to. */
  protected abstract void forward(float[] x, float[] y, int from, int to);

  /**
   * dx[i] = dL/dx[i] from dy[i] = dL/dy[i], for from ≤ i &lt; to; x and y = f(x) are those of the
   * last forward pass.
   */
  protected abstract void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int to);

  /**
   * Called before the slices of a forward pass over n elements, for a subclass that keeps buffers
   * of its own between forward and backward.
   */
  protected void prepare(int n) {}

  @Override
  public final Tensor forward(Tensor x, Mode mode) {
    input = x;
    output = Tensor.reuse(output, x.rows(), size());
    prepare(x.size());
    kernels.slices(x.size(), forwardSlice);
    return output;
  }

  @Override
  public final Tensor backward(Tensor dy) {
    gradOutput = dy;
    gradInput = Tensor.reuse(gradInput, dy.rows(), size());
    kernels.slices(dy.size(), backwardSlice);
    gradOutput = null;
    return gradInput;
  }

  /** The type name, e.g. {@code relu}; an activation with a setting shows it too. */
  @Override
  public String toString() {
    return typeName();
  }
}
