package dev.mlp.core.nn;

import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Tensor;
import java.util.List;

/**
 * Small layers with hand-written backward passes, so the core's model, checker and trainer can be
 * tested without mlp-layers (which depends on the core, not the other way round).
 */
public final class ToyLayers {
  private ToyLayers() {}

  /** y = a ⊙ x + b, column by column: parameters a and b of width n. */
  public static class Affine extends ElementwiseLayer {
    private final int n;
    private final Parameter a;
    private final Parameter b;
    private Tensor x;
    private Tensor y;
    private Tensor dx;
    private boolean inputGradientNeeded = true;

    /** Makes the weight gradient this many times too large (1: correct). */
    public float wrongWeightGradient = 1f;

    /** Doubles the input gradient of this one element (-1: none). */
    public int wrongInputElement = -1;

    /** Adds to the weight gradient instead of writing it (a broken contract). */
    public boolean addsToWeightGradient;

    /** Adds to the input gradient it returns instead of writing it. */
    public boolean addsToInputGradient;

    public Affine(int n, Rng rng) {
      this(n, rng, "a", "b");
    }

    /** The same with its parameters named, e.g. {@code gain} and {@code bias}. */
    public Affine(int n, Rng rng, String weightName, String biasName) {
      super(n);
      this.n = n;
      a = new Parameter(weightName, new Tensor(1, n));
      b = new Parameter(biasName, new Tensor(1, n));
      for (int j = 0; j < n; j++) {
        a.value().data()[j] = (float) (1 + rng.nextGaussian() * 0.5);
        b.value().data()[j] = (float) rng.nextGaussian();
      }
    }

    public boolean inputGradientNeeded() {
      return inputGradientNeeded;
    }

    @Override
    public Tensor forward(Tensor input, Mode mode) {
      x = input;
      y = Tensor.reuse(y, input.rows(), n);
      for (int i = 0; i < input.size(); i++) {
        y.data()[i] = a.value().data()[i % n] * x.data()[i] + b.value().data()[i % n];
      }
      return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
      float[] da = a.grad().data();
      float[] db = b.grad().data();
      if (!addsToWeightGradient) {
        java.util.Arrays.fill(da, 0f);
      }
      java.util.Arrays.fill(db, 0f);
      for (int i = 0; i < dy.size(); i++) {
        da[i % n] += dy.data()[i] * x.data()[i] * wrongWeightGradient;
        db[i % n] += dy.data()[i];
      }
      if (!inputGradientNeeded) {
        return null;
      }
      dx = Tensor.reuse(dx, dy.rows(), n);
      for (int i = 0; i < dy.size(); i++) {
        float g = dy.data()[i] * a.value().data()[i % n] * (i == wrongInputElement ? 2 : 1);
        dx.data()[i] = addsToInputGradient ? dx.data()[i] + g : g;
      }
      return dx;
    }

    @Override
    public List<Parameter> parameters() {
      return List.of(a, b);
    }

    @Override
    public void setInputGradientNeeded(boolean needed) {
      inputGradientNeeded = needed;
    }

    @Override
    public long multiplyAddsPerSample() {
      return n;
    }

    @Override
    public String typeName() {
      return "affine";
    }

    @Override
    public String toString() {
      return "affine(" + n + ")";
    }
  }

  /** L = Σ ½(x − onehot(label))² / rows; predicts the class of the largest input. */
  public static final class HalfSquaredError implements Loss {
    private final int classes;
    private int[] labels;
    private Tensor x;
    private Tensor dx;

    public HalfSquaredError(int classes) {
      this.classes = classes;
    }

    @Override
    public void setTargets(int[] labels) {
      this.labels = labels;
    }

    private float target(int i) {
      return labels[i / classes] == i % classes ? 1f : 0f;
    }

    @Override
    public double loss() {
      double s = 0;
      for (int i = 0; i < x.size(); i++) {
        double e = x.data()[i] - target(i);
        s += e * e / 2;
      }
      return s / x.rows();
    }

    @Override
    public Tensor output() {
      return x;
    }

    @Override
    public int inputSize() {
      return classes;
    }

    @Override
    public int outputSize() {
      return classes;
    }

    @Override
    public Tensor forward(Tensor input, Mode mode) {
      x = input;
      return input;
    }

    @Override
    public Tensor backward(Tensor ignored) {
      dx = Tensor.reuse(dx, x.rows(), classes);
      for (int i = 0; i < x.size(); i++) {
        dx.data()[i] = (x.data()[i] - target(i)) / x.rows();
      }
      return dx;
    }

    @Override
    public String typeName() {
      return "half_squared_error";
    }

    @Override
    public String toString() {
      return "half_squared_error";
    }
  }

  /** y = max(0, x) + c·x²: a kink at 0 next to curvature c (ReLU when c = 0). */
  public static final class KinkAndBowl extends Activation {
    private final float c;

    /** Reports slope 1 for x &lt; 0 too (a wrong gradient). */
    public boolean wrongOnTheLeft;

    public KinkAndBowl(int n, double c) {
      super(n);
      this.c = (float) c;
    }

    @Override
    protected void forward(float[] x, float[] y, int from, int to) {
      for (int i = from; i < to; i++) {
        y[i] = Math.max(0f, x[i]) + c * x[i] * x[i];
      }
    }

    @Override
    protected void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int to) {
      for (int i = from; i < to; i++) {
        float slope = x[i] > 0 || wrongOnTheLeft ? 1f : 0f;
        dx[i] = dy[i] * (slope + 2 * c * x[i]);
      }
    }

    @Override
    public String typeName() {
      return "kink_and_bowl";
    }
  }

  /** Multiplies each element by a fresh random 1 or 3 on every forward pass, unless held. */
  public static final class Coin extends ElementwiseLayer implements Stochastic {
    private final int n;
    private final Rng rng;
    private boolean held;
    private Tensor mask;
    private Tensor y;
    private Tensor dx;

    public Coin(int n, Rng rng) {
      super(n);
      this.n = n;
      this.rng = rng;
    }

    public boolean held() {
      return held;
    }

    @Override
    public Tensor forward(Tensor input, Mode mode) {
      if (!held || mask == null) {
        mask = Tensor.reuse(mask, input.rows(), n);
        for (int i = 0; i < input.size(); i++) {
          mask.data()[i] = rng.nextFloat() < 0.5f ? 1f : 3f;
        }
      }
      y = Tensor.reuse(y, input.rows(), n);
      for (int i = 0; i < input.size(); i++) {
        y.data()[i] = input.data()[i] * mask.data()[i];
      }
      return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
      dx = Tensor.reuse(dx, dy.rows(), n);
      for (int i = 0; i < dy.size(); i++) {
        dx.data()[i] = dy.data()[i] * mask.data()[i];
      }
      return dx;
    }

    @Override
    public void holdRandomness(boolean hold) {
      held = hold;
    }

    @Override
    public long randomState() {
      return rng.state();
    }

    @Override
    public void setRandomState(long state) {
      rng.setState(state);
    }

    @Override
    public String typeName() {
      return "coin";
    }
  }

  /**
   * Identity on width 3 that fails in the pass it is told to: divides by zero in forward, or throws
   * an IllegalStateException in backward.
   */
  public static final class Faulty extends ElementwiseLayer {
    private final boolean inForward;
    private int zero;

    public Faulty(boolean inForward) {
      super(3);
      this.inForward = inForward;
    }

    @Override
    public Tensor forward(Tensor input, Mode mode) {
      if (inForward) {
        zero = 1 / zero;
      }
      return input;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
      if (!inForward) {
        throw new IllegalStateException("backward is broken");
      }
      return gradOutput;
    }

    @Override
    public String typeName() {
      return "faulty";
    }
  }
}
