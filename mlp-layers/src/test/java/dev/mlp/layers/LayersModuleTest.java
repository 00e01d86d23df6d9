package dev.mlp.layers;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import dev.mlp.core.CoreModule;
import dev.mlp.core.config.LayerSpec;
import dev.mlp.core.config.ModelSpec;
import dev.mlp.core.nn.Layer;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.registry.Kind;
import dev.mlp.core.registry.ModelBuilder;
import dev.mlp.core.registry.Registry;
import dev.mlp.core.tensor.Kernels;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every built-in layer is registered, built from its spec, and names itself as configs do. The
 * registry is built in each test: one kept in a static field is built once per JVM, and a mutation
 * test could not see a registration go missing.
 */
class LayersModuleTest {
  private static Registry registry() {
    return Guice.createInjector(new CoreModule(), new LayersModule()).getInstance(Registry.class);
  }

  private static Sequential build(List<LayerSpec> layers) {
    return new ModelBuilder(registry(), Kernels.defaults())
        .build(new ModelSpec(null, layers), 6, 3, 1);
  }

  @Test
  void allElevenLayersAreRegistered() {
    assertThat(registry().names(Kind.LAYER))
        .containsExactly(
            "dropout",
            "gelu",
            "huber",
            "l1",
            "leaky_relu",
            "linear",
            "mse",
            "relu",
            "sigmoid",
            "softmax_cross_entropy",
            "tanh");
  }

  @Test
  void eachLayerIsBuiltFromItsSpecAndReportsItsRegisteredTypeName() {
    List<LayerSpec> hidden =
        List.of(
            new LinearSpec(5),
            new SigmoidSpec(),
            new ReluSpec(),
            new TanhSpec(),
            new LeakyReluSpec(0.2),
            new GeluSpec(),
            new DropoutSpec(0.25),
            new LinearSpec(3));
    for (LayerSpec loss :
        List.of(new MseSpec(), new HuberSpec(0.5), new L1Spec(), new SoftmaxCrossEntropySpec())) {
      List<LayerSpec> specs = new java.util.ArrayList<>(hidden);
      specs.add(loss);
      Sequential model = build(specs);
      List<Layer> layers = model.layers();
      Registry registry = registry();
      assertThat(layers).hasSameSizeAs(specs);
      for (int i = 0; i < specs.size(); i++) {
        assertThat(layers.get(i).typeName())
            .as("layer %d", i)
            .isEqualTo(registry.nameOf(specs.get(i)));
      }
      // widths are inferred: 6 inputs, 5 through the activations, 3 into the loss
      assertThat(layers.get(1).inputSize()).isEqualTo(5);
      assertThat(layers.get(6).outputSize()).isEqualTo(5);
      assertThat(layers.get(8).inputSize()).isEqualTo(3);
      assertThat(layers.get(8).outputSize()).isEqualTo(3);
    }
  }

  @Test
  void theModelSummaryNamesEveryLayerWithItsSettings() {
    Sequential model =
        build(
            List.of(
                new LinearSpec(5),
                new SigmoidSpec(),
                new TanhSpec(),
                new ReluSpec(),
                new LeakyReluSpec(0.2),
                new GeluSpec(),
                new DropoutSpec(0.25),
                new LinearSpec(3),
                new SoftmaxCrossEntropySpec()));
    String[] lines = model.toString().split("\n");
    assertThat(lines[2]).contains("linear(6 → 5)");
    assertThat(lines[3]).contains("sigmoid");
    assertThat(lines[4]).contains("tanh");
    assertThat(lines[5]).contains("relu");
    assertThat(lines[6]).contains("leaky_relu(0.2)");
    assertThat(lines[7]).contains("gelu");
    assertThat(lines[8]).contains("dropout(0.25)");
    assertThat(lines[10]).contains("softmax_cross_entropy");
    Sequential mse = build(List.of(new LinearSpec(3), new MseSpec()));
    assertThat(mse.toString().split("\n")[3]).contains("mse");
  }
}
