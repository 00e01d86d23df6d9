package dev.mlp.layers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlp.core.check.GradientChecker;
import dev.mlp.core.nn.Layer;
import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Tensor;

/** Shared fixtures for the layer tests. */
final class LayerTests {
  private LayerTests() {}

  static Tensor randomInput(int rows, int cols, long seed) {
    return GradientChecker.gaussian(rows, cols, new Rng(seed));
  }

  /**
   * Checks {@code layer}'s backward pass against central differences at a random input of {@code
   * rows} samples (drawn from {@code inputSeed}), with {@code labels} for a loss; fails the test
   * with the report unless it passes, and returns the report.
   */
  static GradientChecker.Report checkGradients(
      Layer layer, int rows, long inputSeed, int[] labels, long checkSeed) {
    GradientChecker.Report r =
        new GradientChecker()
            .check(
                layer, randomInput(rows, layer.inputSize(), inputSeed), labels, new Rng(checkSeed));
    assertThat(r.passed()).as(r.toString()).isTrue();
    return r;
  }
}
