package dev.mlp.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import dev.mlp.core.CoreModule;
import dev.mlp.core.config.LayerSpec;
import dev.mlp.core.config.ModelSpec;
import dev.mlp.core.config.SpecException;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.nn.ToyLayers.Affine;
import dev.mlp.core.nn.ToyLayers.HalfSquaredError;
import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Kernels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a layer factory is told about its place in the model, and the chain's checks. */
class ModelBuilderTest {
  record AffineSpec() implements LayerSpec {}

  record LossSpec() implements LayerSpec {}

  /** Every context a factory saw, in order. */
  static final List<LayerContext> SEEN = new ArrayList<>();

  static final class ToyModule extends MlpModule {
    @Override
    protected void configure() {
      layer(
          "affine",
          AffineSpec.class,
          (spec, ctx) -> {
            SEEN.add(ctx);
            return new Affine(ctx.inputSize(), ctx.rng());
          },
          "y = a⊙x + b");
      layer(
          "half_squared_error",
          LossSpec.class,
          (spec, ctx) -> {
            SEEN.add(ctx);
            return new HalfSquaredError(ctx.numClasses());
          },
          "½‖x − onehot‖²");
    }
  }

  private static Sequential build(List<LayerSpec> layers, int features, int classes) {
    SEEN.clear();
    Registry r =
        Guice.createInjector(new CoreModule(), new ToyModule()).getInstance(Registry.class);
    return new ModelBuilder(r, Kernels.defaults())
        .build(new ModelSpec(null, layers), features, classes, 9);
  }

  @Test
  void eachFactoryIsToldItsInputWidthClassesPathNextLayerAndOwnRandomStream() {
    AffineSpec first = new AffineSpec();
    AffineSpec second = new AffineSpec();
    LossSpec loss = new LossSpec();
    Sequential model = build(List.of(first, second, loss), 3, 3);
    assertThat(model.layers()).hasSize(3);
    assertThat(SEEN)
        .extracting(LayerContext::path)
        .containsExactly("model.layers[0]", "model.layers[1]", "model.layers[2]");
    assertThat(SEEN).extracting(LayerContext::inputSize).containsExactly(3, 3, 3);
    assertThat(SEEN).extracting(LayerContext::numClasses).containsOnly(3);
    assertThat(SEEN.get(0).next()).isSameAs(second);
    assertThat(SEEN.get(1).next()).isSameAs(loss);
    assertThat(SEEN.get(2).next()).isNull();
    assertThat(SEEN.get(0).kernels()).isSameAs(Kernels.defaults());
    // layer i's stream is derive(seed, "init", i) (the factories above drew from it already)
    Rng expected = Rng.derive(9, "init", 1);
    new Affine(3, expected);
    assertThat(SEEN.get(1).rng().nextLong()).isEqualTo(expected.nextLong());
  }

  @Test
  void aLossBeforeTheLastLayerIsRefusedSayingHowManyFollow() {
    assertThatThrownBy(
            () ->
                build(
                    List.of(new AffineSpec(), new LossSpec(), new AffineSpec(), new AffineSpec()),
                    3,
                    3))
        .isInstanceOf(SpecException.class)
        .hasMessage("loss layer 'half_squared_error' must be the last layer, but 2 more follow it")
        .extracting(e -> ((SpecException) e).path())
        .isEqualTo("model.layers[1]");
  }

  @Test
  void aFactorysBadArgumentIsReportedAgainstItsLayersPath() {
    // an affine layer of width 0 cannot be built: Tensor refuses the shape
    assertThatThrownBy(() -> build(List.of(new AffineSpec(), new LossSpec()), 0, 3))
        .isInstanceOf(SpecException.class)
        .extracting(e -> ((SpecException) e).path())
        .isEqualTo("model.layers[0]");
  }
}
