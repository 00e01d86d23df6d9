package dev.mlp.run.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlp.core.config.ExperimentConfig;
import dev.mlp.core.config.SpecException;
import dev.mlp.core.registry.Registry;
import dev.mlp.layers.LinearSpec;
import dev.mlp.layers.ReluSpec;
import dev.mlp.layers.TanhSpec;
import dev.mlp.run.Modules;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What a user reads when a config is wrong: the file, line and column of the key, the config path,
 * and the value described as written; and what each {@code --set} does to the tree.
 */
class ConfigMessagesTest {
  static final Registry REGISTRY = Modules.registry();
  static final Path FILE = Path.of("t.yaml");

  /** Line 11 holds training.epochs (key at column 3), line 12 training.shuffle. */
  static final String CONFIG =
      """
      name: t
      data: {type: mnist}
      model:
        layers:
          - {type: linear, units: 8}
          - {type: relu}
          - {type: linear, units: 10}
          - {type: softmax_cross_entropy}
      optimizer: {type: sgd, lr: 0.1}
      training:
        epochs: 2
        shuffle: true
      """;

  private static ExperimentConfig load(String text, String... sets) throws ConfigException {
    return new ConfigLoader(REGISTRY)
        .load(text, FILE, Stream.of(sets).map(ConfigLoader.Override::parse).toList())
        .config();
  }

  /** The message for CONFIG with {@code from} replaced by {@code to}, after "t.yaml". */
  private static String edited(String from, String to, String... sets) {
    assertThat(CONFIG).contains(from);
    return error(CONFIG.replace(from, to), sets);
  }

  private static String error(String text, String... sets) {
    try {
      load(text, sets);
    } catch (ConfigException e) {
      assertThat(e.getMessage()).startsWith(FILE.toString()).doesNotContain("\n");
      return e.getMessage().substring(FILE.toString().length());
    }
    throw new AssertionError("expected a config error for " + text);
  }

  @Test
  void noValueIsConvertedToAnotherKind() {
    assertThat(edited("epochs: 2", "epochs: true"))
        .isEqualTo(":11:3: training.epochs: expected an integer, got true");
    assertThat(edited("epochs: 2", "epochs: ''"))
        .isEqualTo(":11:3: training.epochs: expected an integer, got the string \"\"");
    assertThat(edited("lr: 0.1", "lr: '0.1'"))
        .isEqualTo(":9:24: optimizer.lr: expected a number, got the string \"0.1\"");
    assertThat(edited("lr: 0.1", "lr: ''"))
        .isEqualTo(":9:24: optimizer.lr: expected a number, got the string \"\"");
    assertThat(edited("lr: 0.1", "lr: false"))
        .isEqualTo(":9:24: optimizer.lr: expected a number, got false");
    assertThat(edited("shuffle: true", "shuffle: 'yes'"))
        .isEqualTo(":12:3: training.shuffle: expected true or false, got the string \"yes\"");
    assertThat(edited("shuffle: true", "shuffle: ''"))
        .isEqualTo(":12:3: training.shuffle: expected true or false, got the string \"\"");
    assertThat(edited("shuffle: true", "shuffle: 1.0"))
        .isEqualTo(":12:3: training.shuffle: expected true or false, got the number 1.0");
    assertThat(edited("name: t", "name: 5"))
        .isEqualTo(":1:1: name: expected a string, got the number 5");
    assertThat(edited("name: t", "name: 2.5"))
        .isEqualTo(":1:1: name: expected a string, got the number 2.5");
    assertThat(edited("name: t", "name: true"))
        .isEqualTo(":1:1: name: expected a string, got true");
  }

  @Test
  void theValueAndTheExpectedKindAreDescribedAsWritten() {
    assertThat(edited("epochs: 2", "epochs: [2]"))
        .isEqualTo(":11:3: training.epochs: expected an integer, got a list");
    assertThat(edited("epochs: 2", "epochs: {n: 2}"))
        .isEqualTo(":11:3: training.epochs: expected an integer, got a mapping");
    assertThat(edited("epochs: 2", "epochs: !!binary aGk="))
        .isEqualTo(":11:3: training.epochs: expected an integer, got binary");
    assertThat(edited("name: t", "name: [t]"))
        .isEqualTo(":1:1: name: expected a string, got a list");
    assertThat(edited("  epochs: 2\n  shuffle: true\n", "  epochs: 2\n  callbacks: 5\n"))
        .isEqualTo(":12:3: training.callbacks: expected a list, got the number 5");
    assertThat(edited("training:\n  epochs: 2\n  shuffle: true\n", "training: 5\n"))
        .isEqualTo(":10:1: training: expected a mapping, got the number 5");
    assertThat(edited("- {type: relu}", "- 5"))
        .isEqualTo(
            ":6:7: model.layers[1]: expected a layer as {type: NAME, ...} or a bare NAME, got the"
                + " number 5");
    assertThat(edited("- {type: relu}", "- [relu]"))
        .isEqualTo(
            ":6:7: model.layers[1]: expected a layer as {type: NAME, ...} or a bare NAME, got a"
                + " list");
    assertThat(error("- name\n- data\n"))
        .isEqualTo(": a config must be a mapping (name:, data:, model:, ...), got a list");
  }

  @Test
  void aProblemOfTheWholeConfigIsPlacedAtTheFieldItNames() {
    assertThat(edited("data: {type: mnist}", "data: null"))
        .isEqualTo(":2:1: data: data is required, e.g. data: {type: mnist}");
    assertThat(edited("data: {type: mnist}\n", ""))
        .isEqualTo(": data is required, e.g. data: {type: mnist}");
  }

  @Test
  void anErrorOnTheFirstLineHasItsLocationToo() {
    assertThat(edited("name: t", "name: {first: t}"))
        .isEqualTo(":1:1: name: expected a string, got a mapping");
  }

  @Test
  void yamlSyntaxErrorsAreOneLineWithoutTheSnippet() {
    assertThat(edited("optimizer: {type: sgd, lr: 0.1}", "optimizer: {type: sgd, lr: 0.1"))
        .isEqualTo(
            ":10:9: YAML error: while parsing a flow mapping; expected ',' or '}', but got :");
  }

  @Test
  void setReplacesAListElementOrAFieldInsideOne() throws ConfigException {
    ExperimentConfig c = load(CONFIG, "model.layers[1]=tanh", "model.layers[2].units=3");
    assertThat(c.model().layers().get(1)).isEqualTo(new TanhSpec());
    assertThat(((LinearSpec) c.model().layers().get(2)).units()).isEqualTo(3);
    assertThat(load(CONFIG).model().layers().get(1)).isEqualTo(new ReluSpec());
    ExperimentConfig nested = load(CONFIG, "model.layers[3]={type: mse}", "training.epochs=");
    assertThat(nested.model().layers()).hasSize(4);
    assertThat(nested.training().epochs()).as("an empty value is null: the default").isEqualTo(10);
    assertThat(
            load(CONFIG, "training.validation=5", "training.early_stopping.patience=3")
                .training()
                .earlyStopping()
                .patience())
        .as("a missing mapping is made")
        .isEqualTo(3);
  }

  @Test
  void badSetsAreRefusedByName() {
    assertThatThrownBy(() -> load(CONFIG, "model.layers[4].units=3"))
        .hasMessage("--set model.layers[4].units: t.yaml has no element layers[4]");
    assertThatThrownBy(() -> load(CONFIG, "name.first=x"))
        .hasMessage("--set name.first: 'first' is not inside a mapping");
    assertThatThrownBy(() -> load(CONFIG, "model..units=3"))
        .hasMessage("--set model..units: '' is not a field name or name[index]");
    assertThatThrownBy(() -> load(CONFIG, "name=[t"))
        .hasMessage("--set name: cannot read value '[t'");
    assertThatThrownBy(() -> ConfigLoader.Override.parse("=3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--set expects key.path=value (e.g. optimizer.lr=0.1), got '=3'");
    assertThat(ConfigLoader.Override.parse(" a.b = c=d "))
        .isEqualTo(new ConfigLoader.Override("a.b", "c=d"));
  }

  @Test
  void aSpecProblemFoundLaterIsPlacedAtTheNearestKnownPath() throws ConfigException {
    LoadedConfig loaded = new ConfigLoader(REGISTRY).load(CONFIG, FILE, List.of());
    assertThat(loaded.error(new SpecException("model.layers[2].inputs", "does not fit")))
        .hasMessage("t.yaml:7:7: model.layers[2].inputs: does not fit");
    assertThat(loaded.error("nowhere.at.all", "lost").getMessage())
        .isEqualTo("t.yaml: nowhere.at.all: lost");
    assertThat(loaded.error("", "the whole run").getMessage()).isEqualTo("t.yaml: the whole run");
  }
}
