package dev.mlp.run.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.mlp.core.registry.Registry;
import dev.mlp.run.Modules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * YAML written to hurt: alias bombs, deep nesting, absurd numbers, class tags. Each is one line
 * naming the file (and line:col and config path where there is one), refused where it starts (an
 * alias bomb at its first alias, never expanded), and nothing from the file is ever instantiated
 * but the registered spec records. No wall time is asserted: where the refusal is, is what shows
 * that nothing was expanded; a 60 s bound only keeps a regression from hanging the build.
 */
class HostileConfigTest {
  private static final Registry REGISTRY = Modules.registry();
  private static final Path SEED = Path.of("..", "configs", "mnist-2layer.yaml");

  /** Not a speed requirement: a guard that turns a hang into a failure. */
  private static final Duration HANG = Duration.ofSeconds(60);

  @TempDir Path dir;

  private String error(String yaml) throws IOException {
    Path file = dir.resolve("hostile.yaml");
    Files.writeString(file, yaml);
    try {
      // the loader runs on another thread; its ConfigException comes back through unchecked
      assertTimeoutPreemptively(
          HANG, () -> new ConfigLoader(REGISTRY).load(file, List.of()), "a hang, not a refusal");
    } catch (Exception e) {
      if (!(e instanceof ConfigException)) {
        throw e;
      }
      assertThat(e.getMessage()).startsWith(file + ":").doesNotContain("\n");
      return e.getMessage().substring(file.toString().length());
    }
    throw new AssertionError("expected a config error for:\n" + yaml);
  }

  private String seedWith(String from, String to) throws IOException {
    String text = Files.readString(SEED);
    assertThat(text).contains(from);
    return error(text.replace(from, to));
  }

  @Test
  void aBillionLaughsIsRefusedAtItsFirstAlias() throws IOException {
    StringBuilder y = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      char prev = (char) (c - 1);
      y.append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 9; i++) {
        y.append(i == 0 ? "" : ", ").append('*').append(prev);
      }
      y.append("]\n");
    }
    y.append("name: *j\n");
    assertThat(error(y.toString()))
        .isEqualTo(
            ":2:8: b[0]: YAML aliases (*a) are not supported in configs; write the value out");
  }

  @Test
  void anAliasOfALayerIsRefusedRatherThanReadAsAName() throws IOException {
    assertThat(seedWith("    - type: sigmoid", "    - &s {type: sigmoid}\n    - *s"))
        .contains("model.layers[2]: YAML aliases (*s) are not supported in configs");
  }

  @Test
  void deepNestingIsBoundedByTheParser() throws IOException {
    assertThat(error("a: " + "[".repeat(5000) + "]".repeat(5000)))
        .contains("YAML error: Document nesting depth (1001) exceeds the maximum allowed (1000");
  }

  @Test
  void absurdNumbersAreRefusedByName() throws IOException {
    assertThat(seedWith("units: 128", "units: 10000000000"))
        .contains("model.layers[0].units: Numeric value (10000000000) out of range of int");
    assertThat(seedWith("lr: 0.01", "lr: .nan")).contains("Malformed numeric value '.nan'");
    assertThat(seedWith("lr: 0.01", "lr: 1e400"))
        .contains("optimizer.lr: lr must be a positive number up to 1e6, got Infinity");
    assertThat(seedWith("lr: 0.01", "lr: -0.01"))
        .contains("optimizer.lr: lr must be a positive number up to 1e6, got -0.01");
    assertThat(seedWith("batch_size: 32", "batch_size: 0"))
        .contains("training.batch_size: batch_size must be an integer in [1, 1048576], got 0");
    assertThat(seedWith("epochs: 10", "epochs: 99999999999999999999"))
        .contains("training.epochs: Numeric value (99999999999999999999) out of range of int");
  }

  @Test
  void anUnknownTopLevelSectionIsNamed() throws IOException {
    assertThat(error(Files.readString(SEED) + "callbacks: {tensorboard: true}\n"))
        .contains(
            "callbacks: unknown field 'callbacks'; known: data, model, name, optimizer, seed, training");
  }

  /** Set if anything ever instantiates this class. */
  static volatile boolean instantiated;

  /** A class YAML tags try to make. */
  public static final class Canary {
    public Canary() {
      instantiated = true;
    }

    public Canary(String s) {
      instantiated = true;
    }
  }

  @Test
  void classTagsNeverInstantiateAnything() throws IOException {
    String tag = "!!" + Canary.class.getName();
    assertThat(seedWith("name: mnist-2layer", "name: " + tag + " [x]"))
        .contains("name: expected a string, got a list");
    // a tag on a scalar is ignored: the value is read as the plain string it is
    Path tagged = dir.resolve("tagged.yaml");
    Files.writeString(
        tagged, Files.readString(SEED).replace("  type: sgd", "  type: " + tag + " sgd"));
    try {
      assertThat(new ConfigLoader(REGISTRY).load(tagged, List.of()).config().optimizer())
          .isEqualTo(new dev.mlp.core.optim.SgdSpec(0.01));
    } catch (ConfigException e) {
      throw new AssertionError(e);
    }
    assertThat(error(tag + " {}\n")).isNotEmpty();
    assertThat(instantiated).isFalse();
  }
}
