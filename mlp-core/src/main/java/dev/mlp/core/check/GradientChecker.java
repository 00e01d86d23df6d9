package dev.mlp.core.check;

import dev.mlp.core.nn.Layer;
import dev.mlp.core.nn.LayerFailedException;
import dev.mlp.core.nn.LayerOrigin;
import dev.mlp.core.nn.Loss;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.Parameter;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.nn.Stochastic;
import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
 * analytic gradient is compared with the nearer of them instead. Where f sums so many float32
 * outputs that their rounding, divided by 2ε, reaches the tolerance, the difference is taken again
 * over 4ε, where that noise is four times smaller.
 *
 * <p>Backward also runs a second time on the same input and upstream gradient, and must give the
 * same gradients again: a layer that adds to {@link Parameter#grad()} instead of writing it passes
 * a check of one call but trains on the sum of every step's gradients.
 */
public final class GradientChecker {
  /** Defaults that suit float32 layers with smooth activations. */
  public static final double DEFAULT_EPSILON = 1e-2;

  public static final double DEFAULT_FLOOR = 1e-2;
  public static final double DEFAULT_TOLERANCE = 1e-2;

  /**
   * How far a second backward call may stray from the first, relative to the tensor's largest
   * gradient: a deterministic layer repeats itself bit for bit, so this only forgives a layer that
   * sums in a varying order.
   */
  public static final double REPEAT_TOLERANCE = 1e-4;

  /** The name of the input's gradient among the entries of a layer's check. */
  public static final String INPUT = "input";

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

  /**
   * A gradient that a second backward call, on the same input and upstream gradient, did not
   * repeat. {@code added}: the second call added its gradient to the first instead of writing it.
   * {@code ratio}: second / first where the second is a multiple of the first, else NaN. {@code
   * index}, {@code first}, {@code second}: the element that differs most.
   */
  public record SecondCall(
      String tensor, boolean added, double ratio, int index, double first, double second) {

    /** One line: what went wrong and what the contract asks for. */
    public String message() {
      boolean parameter = !tensor.equals(INPUT);
      String what = parameter ? "parameter " + tensor : "input gradient";
      if (added) {
        String how =
            Double.isNaN(ratio)
                ? "second call added the same amount again"
                : String.format(Locale.ROOT, "second call gave %.1f× the first", ratio);
        return parameter
            ? what
                + ": backward adds to its gradient instead of writing it ("
                + how
                + "); Layer.backward must overwrite Parameter.grad()"
            : what
                + ": backward adds to the input gradient instead of writing it ("
                + how
                + "); Layer.backward must overwrite the tensor it returns";
      }
      String how =
          Double.isNaN(ratio)
              ? String.format(Locale.ROOT, "at [%d] first %.6g, then %.6g", index, first, second)
              : String.format(Locale.ROOT, "second call gave %.3g× the first", ratio);
      return what
          + ": a second backward on the same input gave a different gradient ("
          + how
          + "); Layer.backward must depend only on the last forward pass and its gradOutput";
    }
  }

  /**
   * Per-tensor worst errors against central differences, the gradients a second backward call did
   * not repeat, and the overall verdict.
   */
  public record Report(List<Entry> entries, List<SecondCall> secondCalls, double tolerance) {
    public Report {
      entries = List.copyOf(entries);
      secondCalls = List.copyOf(secondCalls);
    }

    /** The largest error against central differences. */
    public double worstError() {
      double w = 0;
      for (Entry e : entries) {
        w = Math.max(w, e.error());
      }
      return w;
    }

    /** Whether {@code tensor} (an entry's name) failed either check. */
    public boolean failed(String tensor) {
      for (Entry e : entries) {
        if (e.tensor().equals(tensor) && e.error() > tolerance) {
          return true;
        }
      }
      for (SecondCall c : secondCalls) {
        if (c.tensor().equals(tensor)) {
          return true;
        }
      }
      return false;
    }

    public boolean passed() {
      return worstError() <= tolerance && secondCalls.isEmpty();
    }

    /**
     * One line per failure, in the order of the entries, naming the gradient ("input gradient" or
     * "parameter weight") and what is wrong with it.
     */
    public List<String> failures() {
      List<String> lines = new ArrayList<>();
      for (Entry e : entries) {
        if (e.error() > tolerance) {
          lines.add(
              String.format(
                  Locale.ROOT,
                  "%s: backward disagrees with central differences (error %.2e > %.0e at %s[%d]:"
                      + " analytic %.6g, numeric %.6g)",
                  e.tensor().equals(INPUT) ? "input gradient" : "parameter " + e.tensor(),
                  e.error(),
                  tolerance,
                  e.tensor(),
                  e.index(),
                  e.analytic(),
                  e.numeric()));
        }
        for (SecondCall c : secondCalls) {
          if (c.tensor().equals(e.tensor())) {
            lines.add(c.message());
          }
        }
      }
      return lines;
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
      for (SecondCall c : secondCalls) {
        sb.append(c.message()).append(System.lineSeparator());
      }
      return sb.append(passed() ? "PASS" : "FAIL").toString();
    }
  }

  /**
   * A tensor of standard normal values drawn in order from {@code rng}: an input to check a layer
   * at, as the checker draws the weights R of its objective.
   */
  public static Tensor gaussian(int rows, int cols, Rng rng) {
    Tensor t = new Tensor(rows, cols);
    for (int i = 0; i < t.size(); i++) {
      t.data()[i] = (float) rng.nextGaussian();
    }
    return t;
  }

  /**
   * Checks the gradients of one layer's input and parameters at {@code input}, and that a second
   * backward call repeats them. For a {@link Loss} the targets are {@code labels}; for other layers
   * {@code labels} is ignored. What the layer throws comes out as it is.
   */
  public Report check(Layer layer, Tensor input, int[] labels, Rng rng) {
    return check(layer, null, input, labels, rng);
  }

  /**
   * The same for a layer of a model, named by {@code origin} when it throws, as {@link Sequential}
   * names it in training: an exception (or a {@link LinkageError}) from its forward or backward
   * comes out as a {@link LayerFailedException} saying which of the two it was in.
   */
  public Report check(Layer layer, LayerOrigin origin, Tensor input, int[] labels, Rng rng) {
    layer.setInputGradientNeeded(true);
    Tensor x = input.copy();
    Tensor r = null;
    if (layer instanceof Loss loss) {
      if (labels != null) {
        loss.setTargets(labels); // null: a regression's values were set on the loss already
      }
    } else {
      r = gaussian(x.rows(), layer.outputSize(), rng);
    }
    final Tensor weights = r;
    Objective f = () -> objective(layer, origin, x, weights);
    f.value();
    List<Parameter> params = layer.parameters();
    List<Entry> entries = new ArrayList<>();
    List<SecondCall> secondCalls = new ArrayList<>();
    hold(layer, true); // a stochastic layer keeps the draw of that first pass
    try {
      List<Tensor> before = gradients(params);
      Tensor gradInput = backward(layer, origin, weights);
      List<Tensor> first = gradients(params);
      Tensor gradInputAgain = backward(layer, origin, weights);
      List<Tensor> second = gradients(params);
      // The layer's input-gradient buffer is out of reach before the first call: taken as zeros.
      Tensor none = new Tensor(gradInput.rows(), gradInput.cols());
      addIfNotRepeated(secondCalls, INPUT, none, gradInput, gradInputAgain);
      for (int i = 0; i < params.size(); i++) {
        addIfNotRepeated(
            secondCalls, params.get(i).name(), before.get(i), first.get(i), second.get(i));
      }
      entries.add(compare(INPUT, x, gradInput, f, rng));
      for (int i = 0; i < params.size(); i++) {
        entries.add(compare(params.get(i).name(), params.get(i).value(), first.get(i), f, rng));
      }
    } finally {
      hold(layer, false);
    }
    return new Report(entries, secondCalls, tolerance);
  }

  /**
   * Checks every parameter gradient of a whole model (its last layer is the loss), and that a
   * second backward pass repeats them.
   */
  public Report check(Sequential model, Tensor input, int[] labels, Rng rng) {
    Tensor x = input.copy();
    model.loss().setTargets(labels);
    Objective f =
        () -> {
          model.forward(x, Mode.TRAIN);
          return model.loss().loss();
        };
    f.value();
    List<Layer> layers = model.layers();
    List<Entry> entries = new ArrayList<>();
    List<SecondCall> secondCalls = new ArrayList<>();
    for (Layer layer : layers) {
      hold(layer, true);
    }
    try {
      List<Tensor> before = gradients(model.parameters());
      model.backward();
      List<Tensor> first = gradients(model.parameters());
      model.backward();
      List<Tensor> second = gradients(model.parameters());
      int k = 0;
      for (int l = 0; l < layers.size(); l++) {
        for (Parameter p : layers.get(l).parameters()) {
          String name = "layers." + l + "." + p.name();
          addIfNotRepeated(secondCalls, name, before.get(k), first.get(k), second.get(k));
          entries.add(compare(name, p.value(), first.get(k), f, rng));
          k++;
        }
      }
    } finally {
      for (Layer layer : layers) {
        hold(layer, false);
      }
    }
    return new Report(entries, secondCalls, tolerance);
  }

  /**
   * The layer's input gradient for upstream gradient {@code r} (ignored by a loss), as a copy. The
   * layer gets a copy of {@code r}, so one that writes into it changes neither the objective nor a
   * second call.
   */
  private static Tensor backward(Layer layer, LayerOrigin origin, Tensor r) {
    Tensor g;
    try {
      g = layer instanceof Loss loss ? loss.backward() : layer.backward(r.copy());
    } catch (RuntimeException | LinkageError e) {
      if (origin == null) {
        throw e;
      }
      throw new LayerFailedException(origin, "in backward", e);
    }
    return g.copy();
  }

  private static List<Tensor> gradients(List<Parameter> params) {
    List<Tensor> copies = new ArrayList<>();
    for (Parameter p : params) {
      copies.add(p.grad().copy());
    }
    return copies;
  }

  /**
   * Adds a {@link SecondCall} to {@code out} if {@code second} differs from {@code first} beyond
   * {@link #REPEAT_TOLERANCE}; {@code before} is the gradient before the first call, which a layer
   * that adds to it has added to twice.
   */
  private static void addIfNotRepeated(
      List<SecondCall> out, String name, Tensor before, Tensor first, Tensor second) {
    float[] z = before.data();
    float[] a = first.data();
    float[] b = second.data();
    int n = Math.min(first.size(), second.size());
    double scale = 0;
    for (int i = 0; i < n; i++) {
      scale = Math.max(scale, Math.max(Math.abs(z[i]), Math.max(Math.abs(a[i]), Math.abs(b[i]))));
    }
    double bound = REPEAT_TOLERANCE * scale;
    int worst = -1;
    double worstDifference = bound;
    boolean added = true;
    for (int i = 0; i < n; i++) {
      double difference = (double) b[i] - a[i];
      if (Math.abs(difference) > worstDifference) {
        worstDifference = Math.abs(difference);
        worst = i;
      }
      // adding: the second call's change equals the first call's
      added &= Math.abs(difference - ((double) a[i] - z[i])) <= bound;
    }
    if (worst < 0) {
      return;
    }
    // the least-squares multiple, kept only if the second call is that multiple of the first
    double ab = 0;
    double aa = 0;
    for (int i = 0; i < n; i++) {
      ab += (double) a[i] * b[i];
      aa += (double) a[i] * a[i];
    }
    double ratio = aa > 0 ? ab / aa : Double.NaN;
    for (int i = 0; i < n && !Double.isNaN(ratio); i++) {
      if (!(Math.abs(b[i] - ratio * a[i]) <= bound)) {
        ratio = Double.NaN;
      }
    }
    out.add(new SecondCall(name, added, ratio, worst, a[worst], b[worst]));
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

  private static double objective(Layer layer, LayerOrigin origin, Tensor x, Tensor r) {
    Tensor out;
    try {
      out = layer.forward(x, Mode.TRAIN);
    } catch (RuntimeException | LinkageError e) {
      if (origin == null) {
        throw e;
      }
      throw new LayerFailedException(origin, "in forward", e);
    }
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
      if (error > tolerance) {
        // float32 rounding of f, divided by 2ε, can itself reach the tolerance when f sums many
        // outputs (a 1024-wide linear layer: about 1e-4 on a slope of 1e-2). Four times wider,
        // that noise is four times smaller; a smooth f's truncation error stays far below it.
        double[] wide = differences(v, i, 4 * epsilon, f, center);
        double wideScale = Math.max(Math.max(Math.abs(a), Math.abs(wide[0])), floor);
        error = Math.min(error, Math.abs(a - wide[0]) / wideScale);
      }
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
