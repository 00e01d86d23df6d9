package dev.mlp.cli;

import dev.mlp.core.check.GradientChecker;
import dev.mlp.core.data.Dataset;
import dev.mlp.core.nn.Layer;
import dev.mlp.core.nn.LayerFailedException;
import dev.mlp.core.nn.LayerOrigin;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Tensor;
import dev.mlp.run.Experiment;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mlp gradcheck --config FILE}: every layer's hand-written backward pass against central
 * differences, on a few real samples passed through the layers before it. (Each layer on its own: a
 * whole deep ReLU network is piecewise linear, and a finite ε crosses its kinks.) Backward runs
 * twice, and the second call must give the same gradients: a layer that adds to its parameters'
 * gradients passes a single check but trains wrongly.
 */
@Command(
    name = "gradcheck",
    mixinStandardHelpOptions = true,
    description = {
      "Check every layer of the configured model (built-in or plugin) against central differences"
          + " on a few real samples passed through the layers before it, running backward twice"
          + " (the second call must give the same gradients: backward writes them, never adds to"
          + " them). Prints the worst error per layer and per gradient (the input's and each"
          + " parameter's, by name) with PASS/FAIL, then one line per failure; exits with 4 if any"
          + " layer fails, with 5 if a plugin's layer throws (named with its jar)."
    })
final class GradcheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ExperimentOptions options;

  @Option(
      names = "--samples",
      paramLabel = "N",
      defaultValue = "4",
      description = "Training samples to check at (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(
      names = "--tolerance",
      paramLabel = "E",
      defaultValue = "1e-2",
      description = "Largest acceptable error (default: ${DEFAULT-VALUE}).")
  double tolerance;

  /** The layer's row (its worst error) and one row per gradient: the input's, each parameter's. */
  private static void printRows(PrintWriter out, int i, Layer layer, GradientChecker.Report r) {
    GradientChecker.Entry worst = worst(r);
    out.printf(
        "%-3d %-28s %12.2e  %-22s %s%n",
        i,
        layer,
        r.worstError(),
        worst.tensor() + "[" + worst.index() + "]",
        r.passed() ? "PASS" : "FAIL");
    for (GradientChecker.Entry e : r.entries()) {
      out.printf(
          "%-3s %-28s %12.2e  %-22s %s%n",
          "",
          "  " + e.tensor(),
          e.error(),
          e.tensor() + "[" + e.index() + "]",
          r.failed(e.tensor()) ? "FAIL" : "PASS");
    }
  }

  @Override
  public Integer call() throws Exception {
    if (samples < 1 || samples > 1000 || !(tolerance > 0)) {
      throw new dev.mlp.run.config.ConfigException(
          "--samples must be in [1, 1000] and --tolerance positive, got "
              + samples
              + " and "
              + tolerance);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Experiment x = options.prepare(err);
    Sequential model = x.model();
    Dataset train = x.data().train();
    int n = Math.min(samples, train.count());
    int d = train.featureSize();
    Tensor input = new Tensor(n, d); // the first n samples, not all of a data set converted
    train.gatherRows(
        x.kernels(), java.util.stream.IntStream.range(0, n).toArray(), 0, n, input.data());
    int[] labels = train.classification() ? Arrays.copyOf(train.labels(), n) : null;
    GradientChecker checker =
        new GradientChecker(
            GradientChecker.DEFAULT_EPSILON, GradientChecker.DEFAULT_FLOOR, tolerance, 200);

    out.printf(
        "gradcheck: %s, %d samples of %s, ε = %.0e; error = |analytic − numeric| /"
            + " max(|analytic|, |numeric|, %.0e), pass if ≤ %.0e and a second backward gives"
            + " the same gradients%n",
        options.config,
        n,
        train.name(),
        GradientChecker.DEFAULT_EPSILON,
        GradientChecker.DEFAULT_FLOOR,
        tolerance);
    out.printf("%-3s %-28s %12s  %s%n", "#", "layer, gradient", "worst error", "at");
    boolean allPassed = true;
    List<String> failures = new ArrayList<>();
    Tensor x0 = input;
    if (labels != null) {
      model.loss().setTargets(labels);
    } else {
      int k = train.numClasses();
      model.loss().setTargetValues(Tensor.wrap(n, k, Arrays.copyOf(train.targets(), n * k)));
    }
    for (int i = 0; i < model.layers().size(); i++) {
      Layer layer = model.layers().get(i);
      LayerOrigin origin = model.origins().get(i); // names a layer that throws, as training does
      GradientChecker.Report r =
          checker.check(layer, origin, x0, labels, Rng.derive(1, "gradcheck", i));
      allPassed &= r.passed();
      printRows(out, i, layer, r);
      for (String failure : r.failures()) {
        failures.add("layers[" + i + "] " + layer.typeName() + ": " + failure);
      }
      out.flush();
      try {
        x0 = layer.forward(x0.copy(), Mode.TRAIN).copy();
      } catch (RuntimeException | LinkageError e) {
        throw new LayerFailedException(origin, "in forward", e);
      }
    }
    model.layers().get(0).setInputGradientNeeded(false); // as training has it
    failures.forEach(out::println);
    out.println(allPassed ? "all layers PASS" : "some layers FAIL");
    out.flush();
    return allPassed ? ExitCode.OK : ExitCode.CHECK_FAILED;
  }

  static GradientChecker.Entry worst(GradientChecker.Report r) {
    GradientChecker.Entry w = r.entries().get(0);
    for (GradientChecker.Entry e : r.entries()) {
      if (e.error() > w.error()) {
        w = e;
      }
    }
    return w;
  }
}
