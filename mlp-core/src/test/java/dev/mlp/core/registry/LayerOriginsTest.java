package dev.mlp.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlp.core.config.LayerSpec;
import dev.mlp.core.config.ModelSpec;
import dev.mlp.core.config.SpecException;
import dev.mlp.core.nn.LayerFailedException;
import dev.mlp.core.nn.LayerOrigin;
import dev.mlp.core.nn.Parameter;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.nn.ToyLayers.Affine;
import dev.mlp.core.nn.ToyLayers.HalfSquaredError;
import dev.mlp.core.tensor.Kernels;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The model knows where each layer came from, and blames a plugin for what its code throws. */
class LayerOriginsTest {
  record AffineSpec() implements LayerSpec {}

  record LossSpec() implements LayerSpec {}

  /** A plugin's layer: {@code how} says what its factory does. */
  record PluginSpec(String how) implements LayerSpec {}

  /** mlp's own layer whose factory has a bug. */
  record BuggySpec() implements LayerSpec {}

  private static final String JAR = "faulty-1.0.jar";

  private static Registration ours(String name, Class<?> spec, LayerFactory<?> factory) {
    return new Registration(Kind.LAYER, name, spec, () -> factory, "", "dev.mlp.Test");
  }

  private static final LayerFactory<PluginSpec> PLUGIN_FACTORY =
      (spec, ctx) ->
          switch (spec.how()) {
            case "npe" -> throw new NullPointerException("no weights");
            case "bad value" -> throw new IllegalArgumentException("how is 'bad value'");
            case "same names" ->
                new Affine(ctx.inputSize(), ctx.rng()) {
                  @Override
                  public List<Parameter> parameters() {
                    return List.of(Parameter.vector("gain", 3), Parameter.vector("gain", 3));
                  }
                };
            default -> new Affine(ctx.inputSize(), ctx.rng());
          };

  private static final Registry REGISTRY =
      new Registry(
          Set.of(
              ours(
                  "affine",
                  AffineSpec.class,
                  (AffineSpec s, LayerContext c) -> new Affine(3, c.rng())),
              ours(
                  "half_squared_error",
                  LossSpec.class,
                  (LossSpec s, LayerContext c) -> new HalfSquaredError(3)),
              ours(
                  "buggy",
                  BuggySpec.class,
                  (BuggySpec s, LayerContext c) -> {
                    throw new NullPointerException("mlp's own bug");
                  }),
              new Registration(
                  Kind.LAYER,
                  "plugged",
                  PluginSpec.class,
                  () -> PLUGIN_FACTORY,
                  "",
                  "com.example.FaultyModule (" + JAR + ")",
                  JAR)));

  private static Sequential build(LayerSpec middle) {
    return new ModelBuilder(REGISTRY, Kernels.defaults())
        .build(new ModelSpec(null, List.of(new AffineSpec(), middle, new LossSpec())), 3, 3, 1);
  }

  @Test
  void eachLayerOfABuiltModelKnowsItsPathTypeAndPlugin() {
    assertThat(build(new PluginSpec("fine")).origins())
        .containsExactly(
            new LayerOrigin("model.layers[0]", "affine", null),
            new LayerOrigin("model.layers[1]", "plugged", JAR),
            new LayerOrigin("model.layers[2]", "half_squared_error", null));
  }

  @Test
  void aPluginFactoryThrowingIsBlamedOnThePlugin() {
    assertThatThrownBy(() -> build(new PluginSpec("npe")))
        .isInstanceOf(LayerFailedException.class)
        .hasMessage(
            "model.layers[1] plugged (from faulty-1.0.jar) failed while being built:"
                + " java.lang.NullPointerException: no weights")
        .hasCauseInstanceOf(NullPointerException.class);
  }

  @Test
  void aPluginFactoryRefusingAValueIsStillAConfigError() {
    assertThatThrownBy(() -> build(new PluginSpec("bad value")))
        .isInstanceOf(SpecException.class)
        .hasMessage("how is 'bad value'")
        .extracting(e -> ((SpecException) e).path())
        .isEqualTo("model.layers[1]");
  }

  @Test
  void mlpsOwnFactoryThrowingStaysAnMlpBug() {
    assertThatThrownBy(() -> build(new BuggySpec()))
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("mlp's own bug");
  }

  @Test
  void twoParametersOfOneNameAreRefusedSinceTheirCheckpointKeysWouldClash() {
    assertThatThrownBy(() -> build(new PluginSpec("same names")))
        .isInstanceOf(SpecException.class)
        .hasMessage(
            "model.layers[1] plugged (from faulty-1.0.jar) has two parameters named 'gain'; each"
                + " needs its own name, the key of its tensor in a checkpoint (layers.1.gain)");
  }
}
