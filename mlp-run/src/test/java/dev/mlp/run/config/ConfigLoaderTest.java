package dev.mlp.run.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlp.core.config.ExperimentConfig;
import dev.mlp.core.init.XavierUniformSpec;
import dev.mlp.core.optim.AdamSpec;
import dev.mlp.core.optim.SgdSpec;
import dev.mlp.core.registry.Registry;
import dev.mlp.data.mnist.MnistSpec;
import dev.mlp.layers.LinearSpec;
import dev.mlp.layers.SigmoidSpec;
import dev.mlp.run.Modules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  static final Registry REGISTRY = Modules.registry();
  static final Path SEED = Path.of("..", "configs", "mnist-2layer.yaml");
  @TempDir Path dir;

  private ExperimentConfig load(Path file, ConfigLoader.Override... overrides)
      throws ConfigException {
    return new ConfigLoader(REGISTRY).load(file, List.of(overrides)).config();
  }

  /** The seed config with one line replaced, written to a temporary file. */
  private Path seedWith(String from, String to) throws IOException {
    String text = Files.readString(SEED);
    assertThat(text).contains(from);
    Path p = dir.resolve("c.yaml");
    Files.writeString(p, text.replace(from, to));
    return p;
  }

  private String error(Path file, ConfigLoader.Override... overrides) {
    try {
      load(file, overrides);
    } catch (ConfigException e) {
      assertThat(e.getMessage()).doesNotContain("\n");
      return e.getMessage();
    }
    throw new AssertionError("expected a config error for " + file);
  }

  @Test
  void theSeedConfigIsExactlyTheSeed() throws ConfigException {
    ExperimentConfig c = load(SEED);
    assertThat(c.name()).isEqualTo("mnist-2layer");
    assertThat(c.data()).isEqualTo(new MnistSpec());
    assertThat(c.model().layers()).hasSize(4);
    LinearSpec first = (LinearSpec) c.model().layers().get(0);
    assertThat(first.units()).isEqualTo(128);
    assertThat(first.init()).isEqualTo(new XavierUniformSpec());
    assertThat(c.model().layers().get(1)).isEqualTo(new SigmoidSpec());
    assertThat(((LinearSpec) c.model().layers().get(2)).units()).isEqualTo(10);
    assertThat(c.optimizer()).isEqualTo(new SgdSpec(0.01));
    assertThat(c.training().epochs()).isEqualTo(10);
    assertThat(c.training().batchSize()).isEqualTo(32);
    assertThat(c.training().shuffle()).isTrue();
  }

  @Test
  void overridesSetTypedValuesAnywhere() throws ConfigException {
    ExperimentConfig c =
        load(
            SEED,
            ConfigLoader.Override.parse("optimizer.lr=0.5"),
            ConfigLoader.Override.parse("training.epochs=3"),
            ConfigLoader.Override.parse("model.layers[0].units=64"),
            ConfigLoader.Override.parse("seed=7"));
    assertThat(c.optimizer()).isEqualTo(new SgdSpec(0.5));
    assertThat(c.training().epochs()).isEqualTo(3);
    assertThat(((LinearSpec) c.model().layers().get(0)).units()).isEqualTo(64);
    assertThat(c.seed()).isEqualTo(7);
  }

  @Test
  void anyOptimizerCanBeSwappedInByConfig() throws ConfigException {
    ExperimentConfig c =
        load(SEED, ConfigLoader.Override.parse("optimizer={type: adam, lr: 0.002, beta2: 0.99}"));
    assertThat(c.optimizer()).isEqualTo(new AdamSpec(0.002, null, 0.99, null, null));
    ExperimentConfig m =
        load(SEED, ConfigLoader.Override.parse("optimizer={type: sgd, lr: 0.1, momentum: 0.9}"));
    assertThat(m.optimizer()).isEqualTo(new SgdSpec(0.1, 0.9, false, 0.0));
    assertThat(error(SEED, ConfigLoader.Override.parse("optimizer={type: adam, beta1: 2}")))
        .endsWith("optimizer.beta1: beta1 must be in [0.0, 1.0), got 2.0");
  }

  @Test
  void missingConfigFile() {
    assertThat(error(dir.resolve("nope.yaml")))
        .isEqualTo(dir.resolve("nope.yaml") + ": no such config file");
  }

  @Test
  void yamlSyntaxErrorGivesLineAndColumn() throws IOException {
    Path p = seedWith("  batch_size: 32", "  batch_size: [32");
    assertThat(error(p)).startsWith(p + ":27:").contains("YAML error");
  }

  @Test
  void unknownLayerTypeListsKnownTypesAndSuggests() throws IOException {
    Path p = seedWith("- type: sigmoid", "- type: sigmiod");
    assertThat(error(p))
        .isEqualTo(
            p
                + ":15:7: model.layers[1]: unknown layer type 'sigmiod'; known: dropout, gelu, huber, l1, leaky_relu,"
                + " linear, mse, relu, sigmoid, softmax_cross_entropy, tanh; did you mean 'sigmoid'?");
  }

  @Test
  void unknownOptimizerAndInitializerTypesToo() throws IOException {
    assertThat(error(seedWith("type: sgd", "type: sgdd")))
        .contains(
            "optimizer: unknown optimizer type 'sgdd'; known: adam, adamw, rmsprop, sgd; did you mean 'sgd'?");
    assertThat(
            error(
                seedWith(
                    "      init: xavier_uniform\n      bias_init: zeros\n    - type: sigmoid",
                    "      init: xavier\n    - type: sigmoid")))
        .contains(
            "model.layers[0].init: unknown initializer type 'xavier'; known: constant, he_normal,"
                + " he_uniform, lecun_normal, xavier_normal, xavier_uniform, zeros; did you mean");
  }

  @Test
  void unknownFieldSuggestsTheClosestOne() throws IOException {
    Path p = seedWith("      units: 128", "      unit: 128");
    assertThat(error(p))
        .isEqualTo(
            p
                + ":12:7: model.layers[0].unit: unknown field 'unit'; known: bias_init, init, inputs,"
                + " units; did you mean 'units'?");
    assertThat(error(seedWith("training:", "trainer:")))
        .contains("trainer: unknown field 'trainer'")
        .contains("did you mean 'training'?");
  }

  @Test
  void wrongValueTypesAreErrorsNotCoercions() throws IOException {
    assertThat(error(seedWith("epochs: 10", "epochs: \"2\"")))
        .endsWith("training.epochs: expected an integer, got the string \"2\"");
    assertThat(error(seedWith("epochs: 10", "epochs: 2.5")))
        .endsWith("training.epochs: expected an integer, got the number 2.5");
    assertThat(error(seedWith("shuffle: true", "shuffle: 1")))
        .endsWith("training.shuffle: expected true or false, got the number 1");
    assertThat(error(seedWith("lr: 0.01", "lr: -1")))
        .endsWith("optimizer.lr: lr must be a positive number up to 1e6, got -1.0");
    assertThat(error(seedWith("units: 128", "units: 0")))
        .endsWith("model.layers[0].units: units must be an integer in [1, 1048576], got 0");
    assertThat(error(seedWith("batch_size: 32", "batch_size: 0")))
        .endsWith("training.batch_size: batch_size must be an integer in [1, 1048576], got 0");
  }

  @Test
  void badOverridesAreReported() {
    assertThatThrownBy(() -> ConfigLoader.Override.parse("optimizer.lr"))
        .hasMessageContaining("--set expects key.path=value");
    assertThat(error(SEED, ConfigLoader.Override.parse("model.layers[9].units=3")))
        .contains("has no element layers[9]");
    assertThat(error(SEED, ConfigLoader.Override.parse("optimizer.lr=fast")))
        .endsWith("optimizer.lr: expected a number, got the string \"fast\"");
  }

  @Test
  void typeNamesNeverLoadArbitraryClasses() throws IOException {
    assertThat(error(seedWith("type: sgd", "type: java.lang.ProcessBuilder")))
        .contains("unknown optimizer type 'java.lang.ProcessBuilder'");
  }

  @Test
  void emptyAndNonMappingConfigs() throws IOException {
    Path empty = Files.writeString(dir.resolve("e.yaml"), "");
    assertThat(error(empty)).isEqualTo(empty + ": the config is empty");
    Path list = Files.writeString(dir.resolve("l.yaml"), "- a\n- b\n");
    assertThat(error(list)).contains("a config must be a mapping");
  }
}
