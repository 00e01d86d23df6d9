package dev.mlp.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import dev.mlp.core.CoreModule;
import dev.mlp.core.check.GradientChecker;
import dev.mlp.core.config.LayerSpec;
import dev.mlp.core.config.ModelSpec;
import dev.mlp.core.config.SpecException;
import dev.mlp.core.nn.Activation;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.random.Rng;
import dev.mlp.core.registry.ModelBuilder;
import dev.mlp.core.registry.Registry;
import dev.mlp.core.tensor.Elementwise;
import dev.mlp.core.tensor.Kernels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed network assembled from specs, as the CLI does, and checked as a whole. */
class SeedNetworkTest {
  static final Registry REGISTRY =
      Guice.createInjector(new CoreModule(), new LayersModule()).getInstance(Registry.class);

  static Sequential seed(int in, int hidden, int classes, long seed) {
    List<LayerSpec> layers =
        List.of(
            new LinearSpec(hidden),
            new SigmoidSpec(),
            new LinearSpec(classes),
            new SoftmaxCrossEntropySpec());
    return new ModelBuilder(REGISTRY, Kernels.defaults())
        .build(new ModelSpec(null, layers), in, classes, seed);
  }

  @Test
  void seedNetworkGradientsMatchFiniteDifferences() {
    Sequential model = seed(20, 16, 10, 7);
    GradientChecker.Report r =
        new GradientChecker()
            .check(
                model,
                LayerTests.randomInput(8, 20, 3),
                new int[] {0, 1, 2, 3, 4, 5, 6, 9},
                new Rng(4));
    assertThat(r.passed()).as(r.toString()).isTrue();
    assertThat(r.entries())
        .extracting(GradientChecker.Entry::tensor)
        .containsExactly("layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias");
  }

  /** Sigmoid with the (1 − σ) factor forgotten in backward: the checker must catch it. */
  static final class BrokenSigmoid extends Activation {
    BrokenSigmoid(int n) {
      super(n);
    }

    @Override
    protected void forward(float[] x, float[] y, int from, int to) {
      Elementwise.sigmoid(x, y, from, to);
    }

    @Override
    protected void backward(float[] x, float[] y, float[] dy, float[] dx, int from, int to) {
      for (int i = from; i < to; i++) {
        dx[i] = dy[i] * y[i]; // wrong: should be σ(1 − σ)
      }
    }

    @Override
    public String typeName() {
      return "broken_sigmoid";
    }
  }

  @Test
  void checkerFailsWhenABackwardFormulaIsWrong() {
    GradientChecker.Report r =
        new GradientChecker()
            .check(new BrokenSigmoid(6), LayerTests.randomInput(3, 6, 1), null, new Rng(1));
    assertThat(r.passed()).isFalse();
    assertThat(r.worstError()).isGreaterThan(0.1);
    assertThat(r.toString()).endsWith("FAIL");
  }

  @Test
  void inputWidthIsInferredAndTheSummaryShowsShapesAndCounts() {
    Sequential model = seed(784, 128, 10, 1);
    assertThat(model.parameterCount()).isEqualTo(784 * 128 + 128 + 128 * 10 + 10);
    assertThat(model.toString())
        .contains("linear(784 → 128)", "[N, 128]", "100,480", "total parameters: 101,770");
  }

  @Test
  void sameSeedGivesSameWeightsAndAnotherSeedDoesNot() {
    float[] a = seed(784, 128, 10, 5).parameters().get(0).value().toArray();
    float[] b = seed(784, 128, 10, 5).parameters().get(0).value().toArray();
    float[] c = seed(784, 128, 10, 6).parameters().get(0).value().toArray();
    assertThat(a).containsExactly(b);
    assertThat(a).isNotEqualTo(c);
  }

  @Test
  void shapesThatDoNotChainAreReportedAgainstTheConfigPath() {
    ModelBuilder builder = new ModelBuilder(REGISTRY, Kernels.defaults());
    List<LayerSpec> layers =
        List.of(
            new LinearSpec(128),
            new SigmoidSpec(),
            new LinearSpec(10, 100, null, null),
            new SoftmaxCrossEntropySpec());
    assertThatThrownBy(() -> builder.build(new ModelSpec(null, layers), 784, 10, 1))
        .isInstanceOf(SpecException.class)
        .hasMessage("linear expects 100 inputs but the previous layer gives 128")
        .extracting(e -> ((SpecException) e).path())
        .isEqualTo("model.layers[2].inputs");
  }

  @Test
  void aModelMustEndWithALossSizedToTheClasses() {
    ModelBuilder builder = new ModelBuilder(REGISTRY, Kernels.defaults());
    assertThatThrownBy(
            () ->
                builder.build(
                    new ModelSpec(null, List.of(new LinearSpec(10), new SigmoidSpec())), 4, 10, 1))
        .hasMessageContaining("the last layer must be a loss");
    assertThatThrownBy(
            () ->
                builder.build(
                    new ModelSpec(null, List.of(new LinearSpec(12), new SoftmaxCrossEntropySpec())),
                    4,
                    10,
                    1))
        .hasMessageContaining("receives 12 values per sample but the data set has 10 classes");
    assertThatThrownBy(
            () ->
                builder.build(
                    new ModelSpec(3, List.of(new LinearSpec(10), new SoftmaxCrossEntropySpec())),
                    4,
                    10,
                    1))
        .hasMessageContaining("model.input is 3 but the data set gives 4 features");
  }
}
