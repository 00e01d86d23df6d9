package dev.mlp.run.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlp.core.config.ExperimentConfig;
import dev.mlp.core.registry.Registry;
import dev.mlp.run.Modules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A run folder's config.yaml and a checkpoint's config are {@link ConfigWriter} output that {@link
 * ConfigLoader} reads back on --resume: it must give the same config, with every default visible.
 */
class ConfigWriterTest {
  static final Registry REGISTRY = Modules.registry();
  static final Path CONFIGS = Path.of("..", "configs");

  private final ConfigLoader loader = new ConfigLoader(REGISTRY);
  private final ConfigWriter writer = new ConfigWriter(REGISTRY);

  static Stream<Path> configs() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(CONFIGS)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(7); // the folder was found
    return files.stream();
  }

  private ExperimentConfig reload(String yaml, Path file) throws ConfigException {
    return loader.load(yaml, file, List.of()).config();
  }

  @ParameterizedTest
  @MethodSource("configs")
  void everyShippedConfigSurvivesWritingAndReadingBack(Path file) throws ConfigException {
    ExperimentConfig original = loader.load(file, List.of()).config();
    String yaml = writer.toYaml(original);
    ExperimentConfig again = reload(yaml, file);
    assertThat(again).isEqualTo(original);
    assertThat(writer.toYaml(again)).isEqualTo(yaml);
  }

  @Test
  void theSeedConfigIsWrittenWithEveryDefault() throws ConfigException {
    String yaml =
        writer.toYaml(loader.load(CONFIGS.resolve("mnist-2layer.yaml"), List.of()).config());
    assertThat(yaml)
        .contains("name: mnist-2layer")
        .contains("seed: 42")
        .contains("type: sgd")
        .contains("lr: 0.01")
        .contains("momentum: 0.0")
        .contains("nesterov: false")
        .contains("weight_decay: 0.0")
        .contains("epochs: 10")
        .contains("batch_size: 32")
        .contains("shuffle: true")
        .contains("eval_batch_size: 1000")
        .contains("validation: 0")
        .containsPattern("init:\\s+type: xavier_uniform")
        .containsPattern("bias_init:\\s+type: zeros")
        .doesNotContain("null");
  }

  @Test
  void fieldsThatDefaultLaterAndUnusualNumbersComeBackEqual() throws ConfigException {
    // adam's eps (1e-8), a schedule, early stopping with its own defaults, a clip norm, a leaky
    // relu's slope, an explicit input and dropout: every kind of value a record can hold
    String text =
        """
        name: odd
        seed: 12345678901
        data: {type: fashion_mnist}
        model:
          input: 784
          layers:
            - {type: linear, units: 64, init: zeros}
            - {type: leaky_relu}
            - {type: dropout, rate: 0.125}
            - {type: linear, units: 10, inputs: 64}
            - {type: softmax_cross_entropy}
        optimizer: {type: adamw, lr: 3.0e-4, eps: 1.0e-10, weight_decay: 0.01}
        training:
          epochs: 3
          batch_size: 7
          clip_norm: 1.0e+6
          validation: 100
          early_stopping: {patience: 2}
          schedule: {type: step, step_epochs: 0.5}
        """;
    Path name = Path.of("odd.yaml");
    ExperimentConfig original = reload(text, name);
    String yaml = writer.toYaml(original);
    assertThat(reload(yaml, name)).isEqualTo(original);
    assertThat(writer.toYaml(reload(yaml, name))).isEqualTo(yaml);
    assertThat(yaml).contains("min_delta: 0.0").contains("gamma: 0.1").contains("beta2: 0.999");
  }
}
