package dev.mlp.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlp.core.config.LayerSpec;
import dev.mlp.core.config.ModelSpec;
import dev.mlp.core.init.InitializerSpecs;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.registry.ModelBuilder;
import dev.mlp.core.tensor.Kernels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A linear layer with no init: uses what the activation after it prefers. */
class DefaultInitTest {
  private static double weightVariance(LayerSpec activation, LinearSpec linear) {
    List<LayerSpec> layers =
        List.of(linear, activation, new LinearSpec(10), new SoftmaxCrossEntropySpec());
    Sequential m =
        new ModelBuilder(SeedNetworkTest.REGISTRY, Kernels.defaults())
            .build(new ModelSpec(null, layers), 784, 10, 1);
    float[] w = m.parameters().get(0).value().data();
    double sq = 0;
    for (float v : w) {
      sq += (double) v * v;
    }
    return sq / w.length;
  }

  @Test
  void reluGetsHeAndSigmoidAndTanhGetXavier() {
    double he = 2.0 / 784;
    double xavier = 2.0 / (784 + 256);
    assertThat(weightVariance(new ReluSpec(), new LinearSpec(256)))
        .isCloseTo(he, within(he * 0.03));
    assertThat(weightVariance(new SigmoidSpec(), new LinearSpec(256)))
        .isCloseTo(xavier, within(xavier * 0.03));
    assertThat(weightVariance(new TanhSpec(), new LinearSpec(256)))
        .isCloseTo(xavier, within(xavier * 0.03));
  }

  @Test
  void geluAndLeakyReluGetHeToo() {
    double he = 2.0 / 784;
    assertThat(weightVariance(new GeluSpec(), new LinearSpec(256)))
        .isCloseTo(he, within(he * 0.03));
    assertThat(weightVariance(new LeakyReluSpec(null), new LinearSpec(256)))
        .isCloseTo(he, within(he * 0.03));
  }

  @Test
  void anExplicitInitWins() {
    double lecun = 1.0 / 784;
    LinearSpec withInit = new LinearSpec(256, null, new InitializerSpecs.LecunNormal(), null);
    assertThat(weightVariance(new ReluSpec(), withInit)).isCloseTo(lecun, within(lecun * 0.03));
  }
}
