package dev.mlp.core.check;

import dev.mlp.core.nn.Layer;
import dev.mlp.core.nn.Loss;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.Parameter;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.nn.Stochastic;
import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares a layer's hand-written backward pass with central differences, (f(x + ε) − f(x − ε)) /
 * 2ε, element by element.
 *
 * <p>For a layer that is not a loss, the scalar checked is f = Σ output ⊙ R for a fixed random R,
 * whose gradient with respect to the output is R. For a loss (and a whole model) it is the loss.
 *
 * <p>The error of one element is |analytic − numeric| / max(|analytic|, |numeric|, floor): a
 * relative error, except for gradients smaller than {@code floor}, where float32 rounding in f
 * dominates both figures and the absolute difference (scaled by 1/floor) is what is meaningful.
 * Where f has a kink within ε of the point (ReLU at 0), the one-sided slopes differ and the
 * analytic gradient is compared with the nearer of them instead.
 */
public final class GradientChecker {
  /** Defaults that suit float32 layers with smooth activations. */
  public static final double DEFAULT_EPSILON = 1e-2;

  public static final double DEFAULT_FLOOR = 1e-2;
  public static final double DEFAULT_TOLERANCE = 1e-2;

  private final double epsilon;
  private final double floor;
  private final double tolerance;
  private final int maxElementsPerTensor;

  public GradientChecker() {
    this(DEFAULT_EPSILON, DEFAULT_FLOOR, DEFAULT_TOLERANCE, 200);
  }

  public GradientChecker(double epsilon, double floor, double tolerance, int maxElementsPerTensor) {
    this.epsilon = epsilon;
    this.floor = floor;
    this.tolerance = tolerance;
    this.maxElementsPerTensor = maxElementsPerTensor;
  }

  /** The worst error found in one tensor (an input or a parameter). */
  public record Entry(String tensor, int index, double analytic, double numeric, double error) {}

  /** Per-tensor worst errors and the overall verdict. */
  public record Report(List<Entry> entries, double tolerance) {
    public double worstError() {
      double w = 0;
      for (Entry e : entries) {
        w = Math.max(w, e.error());
      }
      return w;
    }

    public boolean passed() {
      return worstError() <= tolerance;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      for (Entry e : entries) {
        sb.append(
            String.format(
                "%-14s worst error %.2e at [%d]: analytic %.6g, numeric %.6g%n",
                e.tensor(), e.error(), e.index(), e.analytic(), e.numeric()));
      }
      return sb.append(passed() ? "PASS" : "FAIL").toString();
    }
  }

  /**
   * Checks the gradients of one layer's input and parameters at {@code input}. For a {@link Loss}
   * the targets are {@code labels}; for other layers {@code labels} is ignored.
   */
  public Report check(Layer layer, Tensor input, int[] labels, Rng rng) {
    layer.setInputGradientNeeded(true);
    Tensor x = input.copy();
    Tensor r = null;
    if (layer instanceof Loss loss) {
      loss.setTargets(labels);
    } else {
      r = new Tensor(x.rows(), layer.outputSize());
      for (int i = 0; i < r.size(); i++) {
        r.data()[i] = (float) rng.nextGaussian();
      }
    }
    final Tensor weights = r;
    Objective f = () -> objective(layer, x, weights);
    f.value();
    hold(layer, true); // a stochastic layer keeps the draw of that first pass
    Tensor gradInput =
        (layer instanceof Loss loss ? loss.backward() : layer.backward(weights)).copy();
    List<Tensor> gradParams = new ArrayList<>();
    for (Parameter p : layer.parameters()) {
      gradParams.add(p.grad().copy());
    }
    List<Entry> entries = new ArrayList<>();
    try {
      entries.add(compare("input", x, gradInput, f, rng));
      List<Parameter> params = layer.parameters();
      for (int i = 0; i < params.size(); i++) {
        entries.add(
            compare(params.get(i).name(), params.get(i).value(), gradParams.get(i), f, rng));
      }
    } finally {
      hold(layer, false);
    }
    return new Report(entries, tolerance);
  }

  /** Checks every parameter gradient of a whole model (its last layer is the loss). */
  public Report check(Sequential model, Tensor input, int[] labels, Rng rng) {
    Tensor x = input.copy();
    model.loss().setTargets(labels);
    Objective f =
        () -> {
          model.forward(x, Mode.TRAIN);
          return model.loss().loss();
        };
    f.value();
    for (Layer layer : model.layers()) {
      hold(layer, true);
    }
    model.backward();
    List<Entry> entries = new ArrayList<>();
    List<Layer> layers = model.layers();
    List<Tensor> grads = new ArrayList<>();
    for (Parameter p : model.parameters()) {
      grads.add(p.grad().copy());
    }
    int k = 0;
    try {
      for (int l = 0; l < layers.size(); l++) {
        for (Parameter p : layers.get(l).parameters()) {
          entries.add(compare("layers." + l + "." + p.name(), p.value(), grads.get(k++), f, rng));
        }
      }
    } finally {
      for (Layer layer : layers) {
        hold(layer, false);
      }
    }
    return new Report(entries, tolerance);
  }

  private static void hold(Layer layer, boolean hold) {
    if (layer instanceof Stochastic s) {
      s.holdRandomness(hold);
    }
  }

  @FunctionalInterface
  private interface Objective {
    double value();
  }

  private static double objective(Layer layer, Tensor x, Tensor r) {
    Tensor out = layer.forward(x, Mode.TRAIN);
    if (layer instanceof Loss loss) {
      return loss.loss();
    }
    double s = 0;
    float[] o = out.data();
    float[] w = r.data();
    for (int i = 0, n = out.size(); i < n; i++) {
      s += (double) o[i] * w[i];
    }
    return s;
  }

  private Entry compare(String name, Tensor values, Tensor analytic, Objective f, Rng rng) {
    int n = values.size();
    int[] indices = pick(n, rng);
    float[] v = values.data();
    Entry worst = null;
    double center = f.value();
    for (int i : indices) {
      double a = analytic.data()[i];
      double[] d = differences(v, i, epsilon, f, center);
      double scale = Math.max(Math.max(Math.abs(a), Math.abs(d[0])), floor);
      double error = Math.abs(a - d[0]) / scale;
      if (error > tolerance && Math.abs(d[1] - d[2]) / scale > tolerance) {
        // The one-sided slopes differ: a kink (ReLU at 0) lies within ε, so the central
        // difference averages two slopes. Look closer, where the kink may be out of reach, and
        // else ask the analytic gradient to match the slope of one side.
        double[] near = differences(v, i, epsilon / 16, f, center);
        double nearScale = Math.max(Math.max(Math.abs(a), Math.abs(near[0])), floor);
        error =
            Math.min(
                Math.abs(a - near[0]) / nearScale,
                Math.min(Math.abs(a - d[1]), Math.abs(a - d[2])) / scale);
      }
      if (Double.isNaN(error)) {
        error = Double.POSITIVE_INFINITY;
      }
      if (worst == null || error > worst.error()) {
        worst = new Entry(name, i, a, d[0], error);
      }
    }
    f.value(); // leave the layer's caches as they were at the unperturbed point
    return worst == null ? new Entry(name, -1, 0, 0, 0) : worst;
  }

  /** {central, right, left} differences of f in element i of v, with step h. */
  private static double[] differences(float[] v, int i, double h, Objective f, double center) {
    float original = v[i];
    v[i] = (float) (original + h);
    double hPlus = v[i] - original;
    double plus = f.value();
    v[i] = (float) (original - h);
    double hMinus = original - v[i];
    double minus = f.value();
    v[i] = original;
    return new double[] {
      (plus - minus) / (hPlus + hMinus), (plus - center) / hPlus, (center - minus) / hMinus
    };
  }

  private int[] pick(int n, Rng rng) {
    if (n <= maxElementsPerTensor) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      return all;
    }
    int[] some = new int[maxElementsPerTensor];
    for (int i = 0; i < some.length; i++) {
      some[i] = rng.nextInt(n);
    }
    return some;
  }
}
