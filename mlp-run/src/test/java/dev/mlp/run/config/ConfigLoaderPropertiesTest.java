package dev.mlp.run.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlp.core.random.Rng;
import dev.mlp.core.registry.Registry;
import dev.mlp.run.Modules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: whatever the text, loading a config gives a config or one {@link ConfigException} whose
 * message is one line naming the file (or the --set option) — never another exception. The texts
 * are the real configs broken at random, random trees of the config's own words, and random
 * overrides. Each case comes from a seed (its number is in the test's name), so a failure repeats.
 */
class ConfigLoaderPropertiesTest {
  private static final Registry REGISTRY = Modules.registry();
  private static final List<String> CONFIGS = configs();
  private static final char[] YAML_CHARS = {
    ':', '-', '[', ']', '{', '}', '"', '\'', '&', '*', '!', '#', '|', '>', '\n', ' ', '\t', ',',
    '.', 'e', '0', '9', '%', '@', '`', 'é', '\u0000', '\uFEFF'
  };
  private static final String[] WORDS = {
    "name",
    "seed",
    "data",
    "model",
    "optimizer",
    "training",
    "type",
    "layers",
    "units",
    "input",
    "init",
    "bias_init",
    "lr",
    "momentum",
    "epochs",
    "batch_size",
    "validation",
    "schedule",
    "rate",
    "gain",
    "early_stopping",
    "patience",
    "mirrors",
    "npm",
    "linear",
    "sigmoid",
    "mnist",
    "sgd",
    "adam",
    "dropout",
    "x",
    "Q"
  };
  private static final String[] SCALARS = {
    ".nan",
    ".inf",
    "-.inf",
    "1e400",
    "-0",
    "0x1F",
    "~",
    "null",
    "true",
    "no",
    "\"\"",
    "linear",
    "sigmoid",
    "softmax_cross_entropy",
    "mnist",
    "sgd",
    "xavier_uniform",
    "99999999999999999999999",
    "[]",
    "{}",
    "!!str 5",
    "!!binary AAAA",
    "2147483648",
    "-1",
    "0",
    "0.5",
    "128",
    "'a: b'",
    "&a x",
    "*a"
  };

  @TempDir Path dir;

  private static List<String> configs() {
    try (Stream<Path> files = Files.list(Path.of("..", "configs"))) {
      List<String> texts = new ArrayList<>();
      for (Path p : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        texts.add(Files.readString(p));
      }
      return texts;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** 300 cases per property; {@code -Dmlp.tries=N} for a longer hunt. */
  static LongStream seeds() {
    return LongStream.range(0, Long.getLong("mlp.tries", 300));
  }

  /** Loads {@code text}: a config, or a one-line error naming the file or the --set option. */
  private void loadsOrSaysWhy(long seed, String text, List<ConfigLoader.Override> overrides)
      throws IOException {
    Path file = dir.resolve("c" + seed + ".yaml");
    Files.writeString(file, text);
    try {
      assertThat(new ConfigLoader(REGISTRY).load(file, overrides).config()).isNotNull();
    } catch (ConfigException e) {
      assertThat(e.getMessage())
          .as("seed %d, overrides %s, text:%n%s", seed, overrides, text)
          .doesNotContain("\n")
          .satisfiesAnyOf(
              m -> assertThat(m).startsWith(file.toString()),
              m -> assertThat(m).startsWith("--set "));
    } catch (RuntimeException e) {
      throw new AssertionError(
          "seed " + seed + ": " + e + " escaped for overrides " + overrides + " and text:\n" + text,
          e);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void aRealConfigBrokenAtRandomLoadsOrSaysWhy(long seed) throws IOException {
    Rng rng = Rng.derive(seed, "broken config");
    String s = CONFIGS.get(rng.nextInt(CONFIGS.size()));
    for (int edits = 1 + rng.nextInt(6); edits > 0; edits--) {
      s = edit(s, rng);
    }
    loadsOrSaysWhy(seed, s, List.of());
  }

  /** One edit: a character deleted, inserted or replaced, a line doubled, or the rest cut off. */
  private static String edit(String s, Rng rng) {
    if (s.isEmpty()) {
      return String.valueOf(character(rng));
    }
    int i = rng.nextInt(s.length());
    switch (rng.nextInt(5)) {
      case 0:
        return s.substring(0, i) + s.substring(i + 1);
      case 1:
        return s.substring(0, i) + character(rng) + s.substring(i);
      case 2:
        return s.substring(0, i) + character(rng) + s.substring(i + 1);
      case 3:
        int start = s.lastIndexOf('\n', i) + 1;
        int end = s.indexOf('\n', i);
        String line = s.substring(start, end < 0 ? s.length() : end + 1);
        return s.substring(0, start) + line + s.substring(start);
      default:
        return s.substring(0, i);
    }
  }

  private static char character(Rng rng) {
    return rng.nextInt(4) == 0
        ? (char) rng.nextInt(0x3000)
        : YAML_CHARS[rng.nextInt(YAML_CHARS.length)];
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomTreesOfTheConfigsOwnWordsLoadOrSayWhy(long seed) throws IOException {
    Rng rng = Rng.derive(seed, "random tree");
    loadsOrSaysWhy(seed, tree(rng, 4) + "\n", List.of());
  }

  private static String tree(Rng rng, int depth) {
    int kind = depth == 0 ? 0 : rng.nextInt(3);
    if (kind == 0) {
      return switch (rng.nextInt(4)) {
        case 0 -> String.valueOf(rng.nextLong() >> rng.nextInt(64));
        case 1 -> String.valueOf((rng.nextDouble() - 0.5) * Math.pow(10, rng.nextInt(40) - 20));
        case 2 -> WORDS[rng.nextInt(WORDS.length)];
        default -> SCALARS[rng.nextInt(SCALARS.length)];
      };
    }
    List<String> items = new ArrayList<>();
    for (int n = rng.nextInt(5); n > 0; n--) {
      String child = tree(rng, depth - 1);
      items.add(kind == 1 ? WORDS[rng.nextInt(WORDS.length)] + ": " + child : child);
    }
    return kind == 1 ? "{" + String.join(", ", items) + "}" : "[" + String.join(", ", items) + "]";
  }

  private static final String[] PATHS = {
    "optimizer.lr",
    "training.epochs",
    "model.layers[0].units",
    "model.layers[9].units",
    "model.layers",
    "seed",
    "data",
    "data.type",
    "training.schedule",
    "model.layers[1]",
    "training",
    "nope.deeper",
    "model.layers[-1].units",
    "model..x",
    "[0]",
    ".",
    "name",
    "optimizer"
  };
  private static final String[] VALUES = {
    "0",
    "-1",
    "1e400",
    "[1, 2]",
    "{type: relu}",
    "~",
    "'x'",
    "{",
    "]",
    "",
    ".nan",
    "*a",
    "&a 1",
    "{type: cosine, warmup_epochs: 99}",
    "{type: mnist, mirrors: 5}",
    "!!java.io.File /"
  };

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void anyOverridesOfTheSeedConfigLoadOrSayWhy(long seed) throws IOException {
    Rng rng = Rng.derive(seed, "overrides");
    List<ConfigLoader.Override> overrides = new ArrayList<>();
    for (int n = 1 + rng.nextInt(3); n > 0; n--) {
      overrides.add(
          new ConfigLoader.Override(
              PATHS[rng.nextInt(PATHS.length)], VALUES[rng.nextInt(VALUES.length)]));
    }
    loadsOrSaysWhy(
        seed, Files.readString(Path.of("..", "configs", "mnist-2layer.yaml")), overrides);
  }
}
