package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code mlp} process: help, version, and its answers to bad input. */
class CliIT {
  /** A bench of the seed config made small (8 hidden units, one epoch, no warm-up). */
  private static final List<String> SHORT_BENCH =
      List.of(
          "bench",
          "--config",
          "configs/mnist-2layer.yaml",
          "--set",
          "model.layers[0].units=8",
          "--warmup",
          "0",
          "--repeat",
          "1");

  @TempDir Path tmp;

  private static String[] withJson(List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.add("--json");
    return all.toArray(String[]::new);
  }

  @Test
  void helpListsTheTrainCommandAndExitCodes() throws Exception {
    MlpProcess.Result r = MlpProcess.run("--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("train", "Exit codes: 0 ok");
    MlpProcess.Result t = MlpProcess.run("train", "--help");
    assertThat(t.out()).contains("--config", "--epochs", "--seed", "--set", "--json");
  }

  @Test
  void versionNamesTheProjectVersion() throws Exception {
    MlpProcess.Result r = MlpProcess.run("--version");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("mlp 0.").contains("Java 17");
  }

  @Test
  void benchReportsTrainingAndInferenceSpeedAsJson() throws Exception {
    MlpProcess.Result r =
        MlpProcess.run(
            Map.of(),
            300,
            "bench",
            "--config",
            "configs/mnist-2layer.yaml",
            "--warmup",
            "1",
            "--repeat",
            "2",
            "--threads",
            "2",
            "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode o = new ObjectMapper().readTree(r.out());
    assertThat(o.get("threads").asInt()).isEqualTo(2);
    assertThat(o.get("batch_size").asInt()).isEqualTo(32);
    // the machine the figures came from
    assertThat(o.get("cpu").get("cores").asInt())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(o.get("cpu").get("model").asText()).isNotBlank();
    assertThat(o.get("cpu").get("java").asText()).isNotBlank();
    assertThat(o.get("timing_rounds").asLong())
        .isGreaterThanOrEqualTo(o.get("one_thread_rounds").asLong());
    JsonNode train = o.get("train");
    assertThat(train.get("epochs_measured").asInt()).isEqualTo(2);
    assertThat(train.get("epoch_seconds")).hasSize(2);
    double seconds = train.get("seconds_per_epoch").asDouble();
    assertThat(seconds).isPositive();
    // 60,000 samples an epoch; FLOP a sample: 4·784·128 (the first layer: forward and weight
    // gradient) + 6·128·10 (the second: forward, weight and input gradients)
    assertThat(train.get("samples_per_second").asDouble()).isCloseTo(60_000 / seconds, within(1.0));
    assertThat(train.get("gflops").asDouble())
        .isCloseTo(60_000 * (4.0 * 784 * 128 + 6.0 * 128 * 10) / seconds / 1e9, within(0.01));
    assertThat(o.get("inference").get("samples").asInt()).isEqualTo(10_000);
    assertThat(o.get("inference").get("seconds").asDouble()).isPositive();
  }

  @Test
  void benchNamesTheJvmOptionsThatHoldItToNarrowerVectors() throws Exception {
    // figures from an AVX-512 machine held to 128-bit vectors must not read as the CPU's own
    MlpProcess.Result r =
        MlpProcess.run(Map.of("MLP_JAVA_OPTS", "-XX:MaxVectorSize=16"), 300, withJson(SHORT_BENCH));
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode o = new ObjectMapper().readTree(r.out());
    assertThat(o.get("kernels").asText()).startsWith("vector(4 lanes)");
    assertThat(o.get("cpu").get("jvm_options").toString()).contains("\"-XX:MaxVectorSize=16\"");
    assertThat(r.err()).contains("JVM options -XX:MaxVectorSize=16");
  }

  @Test
  void benchMeasuresARegressorToo() throws Exception {
    // its inference pass once counted labels a regression data set does not have
    MlpProcess.Result r =
        MlpProcess.run(
            "bench", "--config", "configs/seattle-temp.yaml", "--warmup", "0", "--repeat", "1");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("train:")
        .contains("inference:")
        .containsPattern("(?m)^cpu: .+, \\d+ cores?, ");
  }

  @Test
  void withoutTheVectorApiModuleTheJarRunsOnTheScalarKernels() throws Exception {
    // a plain `java -jar`: nothing may load a Vector API class (the warm-up once did, on MNIST)
    Path jar = Path.of("target", "mlp.jar").toAbsolutePath();
    Path out = Files.createTempFile("mlp-scalar", ".txt");
    try {
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  jar.toString()));
      command.addAll(SHORT_BENCH);
      Process p =
          new ProcessBuilder(command)
              .directory(Path.of("..").toAbsolutePath().normalize().toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("java -jar mlp.jar bench ran over 300 s");
      }
      String text = Files.readString(out);
      assertThat(p.exitValue()).as(text).isZero();
      assertThat(text).contains("batch 32, scalar").contains("inference:");
    } finally {
      Files.deleteIfExists(out);
    }
  }

  @Test
  void theLauncherArchivesTheClassesOfItsFirstRunAndStartsFromThatArchiveAfter() throws Exception {
    // a copy of the launcher and the jar, so the archive made here is this test's own
    Path launcher = tmp.resolve("mlp");
    Path target = Files.createDirectories(tmp.resolve("mlp-cli/target"));
    Files.copy(MlpProcess.REPO.resolve("mlp"), launcher);
    Path jar = Files.copy(Path.of("target", "mlp.jar"), target.resolve("mlp.jar"));
    Path stale = Files.writeString(target.resolve("mlp-1.jsa"), "an archive of an older build");
    Files.setLastModifiedTime(
        stale,
        java.nio.file.attribute.FileTime.fromMillis(
            Files.getLastModifiedTime(jar).toMillis() - 86_400_000L));
    MlpProcess.Result first =
        MlpProcess.run(
            launcher,
            Map.of(),
            300,
            "bench",
            "--config",
            "configs/seattle-temp.yaml",
            "--warmup",
            "0",
            "--repeat",
            "1");
    assertThat(first.exit()).as(first.err()).isZero();
    // the archive is made in the background after the first run: wait for its lock to go
    for (int i = 0; i < 1200 && !archiveWork(target).isEmpty(); i++) {
      Thread.sleep(100);
    }
    List<String> left = archiveWork(target);
    assertThat(left).as("the archive's work, still there after 120 s").isEmpty();
    List<String> archives;
    try (var files = Files.list(target)) {
      archives =
          files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".jsa")).toList();
    }
    assertThat(archives).as("one new archive; the older build's deleted").hasSize(1);
    assertThat(archives.get(0)).matches("mlp-[0-9]+\\.jsa");
    // -Xshare:on: the JVM refuses to start unless it maps the archive
    MlpProcess.Result next =
        MlpProcess.run(
            launcher,
            Map.of("MLP_JAVA_OPTS", "-Xshare:on -Xlog:class+load=info"),
            120,
            "--version");
    assertThat(next.exit()).as(next.err()).isZero();
    assertThat(next.out())
        .contains("dev.mlp.cli.Main source: shared objects file")
        .contains("mlp 0.");
  }

  /** Class lists, locks and partial archives of the launcher in {@code target}. */
  private static List<String> archiveWork(Path target) throws java.io.IOException {
    try (var files = Files.list(target)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(f -> f.endsWith(".classlist") || f.endsWith(".making") || f.endsWith(".tmp"))
          .toList();
    }
  }

  @Test
  void badThreadCountIsABadInput() throws Exception {
    MlpProcess.Result r =
        MlpProcess.run("train", "--config", "configs/mnist-2layer.yaml", "--threads", "0");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly("mlp: error: --threads must be between 1 and 256, got 0");
  }

  @Test
  void layersListsEveryRegisteredTypeWithItsFields() throws Exception {
    MlpProcess.Result r = MlpProcess.run("layers");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("layers:", "optimizers:", "initializers:", "datasets:")
        .contains("linear", "relu", "sigmoid", "tanh", "softmax_cross_entropy", "sgd")
        .contains("xavier_uniform", "zeros", "mnist", "from dev.mlp.layers.LayersModule");
    assertThat(r.out().lines())
        .anyMatch(l -> l.matches("\\s+units\\s+integer\\s+default: required\\s+output width.*"))
        .anyMatch(l -> l.matches("\\s+gain\\s+number\\s+default: 1.0\\s+.*"));
    MlpProcess.Result j = MlpProcess.run("list", "--json");
    JsonNode layers = new ObjectMapper().readTree(j.out()).get("layers");
    List<String> types = new ArrayList<>();
    layers.forEach(l -> types.add(l.get("type").asText()));
    assertThat(types)
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
    JsonNode linear = layers.get(types.indexOf("linear"));
    assertThat(linear.get("fields").get(0).get("name").asText()).isEqualTo("units");
    assertThat(linear.get("fields").get(0).get("default").asText()).isEqualTo("required");
  }

  @Test
  void configValidateReportsShapeErrorsAgainstTheFile() throws Exception {
    Path c =
        MlpProcess.editedConfig(
            tmp.resolve("shape.yaml"),
            "mnist-2layer.yaml",
            "      units: 10\n",
            "      units: 10\n      inputs: 100\n");
    MlpProcess.Result r = MlpProcess.run("config", "validate", c.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly(
            "mlp: error: "
                + c
                + ":18:7: model.layers[2].inputs: linear expects 100 inputs but the previous layer"
                + " gives 128");
  }

  @Test
  void configValidateAppliesTheOverridesTrainWould() throws Exception {
    MlpProcess.Result r =
        MlpProcess.run(
            "config",
            "validate",
            "configs/mnist-2layer.yaml",
            "--set",
            "model.layers[0].units=64",
            "--epochs",
            "3",
            "--seed",
            "7",
            "--set",
            "training.batch_size=64");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith("configs/mnist-2layer.yaml: OK")
        .contains("3 epochs of batch 64", "linear(784 → 64)", "linear(64 → 10)");
  }

  @Test
  void configValidateReportsAnOverrideThatBreaksTheConfigAsTrainDoes() throws Exception {
    MlpProcess.Result r =
        MlpProcess.run(
            "config", "validate", "configs/mnist-2layer.yaml", "--set", "model.layers[0].units=-3");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly(
            "mlp: error: configs/mnist-2layer.yaml:12:7: model.layers[0].units: units must be an"
                + " integer in [1, 1048576], got -3");
    assertThat(r.out()).isEmpty();
    // each override that breaks the config, and the name its one-line error must carry
    record Broken(String named, String... args) {}
    List<Broken> broken =
        List.of(
            new Broken("model.layers[0].units", "--set", "model.layers[0].units=-3"),
            new Broken("optimizer.lr", "--set", "optimizer.lr=abc"),
            new Broken("--set model.layers[9].units", "--set", "model.layers[9].units=3"),
            new Broken("model.layer", "--set", "model.layer.units=3"),
            new Broken("--set", "--set", "nonsense"),
            new Broken("training.epochs", "--epochs", "0"),
            new Broken("'--seed'", "--seed", "x"));
    for (Broken b : broken) {
      List<String> validate = new ArrayList<>(List.of("config", "validate"));
      validate.add("configs/mnist-2layer.yaml");
      validate.addAll(List.of(b.args()));
      List<String> train = new ArrayList<>(List.of("train", "--config"));
      train.add("configs/mnist-2layer.yaml");
      train.addAll(List.of(b.args()));
      MlpProcess.Result v = MlpProcess.run(validate.toArray(String[]::new));
      MlpProcess.Result t = MlpProcess.run(train.toArray(String[]::new));
      String what = String.join(" ", b.args());
      assertThat(v.exit()).as(what).isEqualTo(2);
      assertThat(t.exit()).as(what).isEqualTo(2);
      assertThat(v.out()).as(what).isEmpty();
      assertThat(v.errLines().get(0)).as(what).startsWith("mlp: error: ").contains(b.named());
      if (!b.args()[0].equals("--seed")) { // a usage error: picocli's "Try 'mlp train --help'"
        assertThat(v.errLines()).as(what).hasSize(1).isEqualTo(t.errLines());
      }
    }
  }

  @Test
  void missingConfigIsOneLineAndExitCode2() throws Exception {
    MlpProcess.Result r = MlpProcess.run("train", "--config", "configs/nope.yaml");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines()).containsExactly("mlp: error: configs/nope.yaml: no such config file");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void unknownLayerTypeIsOneLineWithoutStackTrace() throws Exception {
    Path c =
        MlpProcess.editedConfig(
            tmp.resolve("typo.yaml"), "mnist-2layer.yaml", "- type: sigmoid", "- type: sigmoide");
    MlpProcess.Result r = MlpProcess.run("train", "--config", c.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly(
            "mlp: error: "
                + c
                + ":15:7: model.layers[1]: unknown layer type 'sigmoide'; known: dropout, gelu, huber, l1, leaky_relu,"
                + " linear, mse, relu, sigmoid, softmax_cross_entropy, tanh; did you mean 'sigmoid'?");
  }

  @Test
  void verboseGivesTheStackTraceTwoCommandsDownToo() throws Exception {
    MlpProcess.Result quiet =
        MlpProcess.run("config", "validate", tmp.resolve("none.yaml").toString());
    assertThat(quiet.errLines()).hasSize(1);
    MlpProcess.Result loud =
        MlpProcess.run("config", "validate", "--verbose", tmp.resolve("none.yaml").toString());
    assertThat(loud.exit()).isEqualTo(2);
    assertThat(loud.err())
        .contains("no such config file")
        .contains("\tat dev.mlp.cli.ConfigCommand");
  }

  @Test
  void unknownOptionIsAUsageErrorWithExitCode2() throws Exception {
    MlpProcess.Result r =
        MlpProcess.run("train", "--config", "configs/mnist-2layer.yaml", "--epoch", "3");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("Unknown option", "'--epoch'", "Try 'mlp train --help'");
  }

  @Test
  void whenEverySourceFailsTheErrorSaysWhatWasTriedAndWhereToPutTheFiles() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path home = tmp.resolve("home");
    MlpProcess.Result r =
        MlpProcess.run(
            Map.of("MLP_HOME", home.toString()),
            60,
            "train",
            "--config",
            "configs/mnist-2layer.yaml",
            "--set",
            "data.mirrors=[http://127.0.0.1:" + port + "/mnist/]",
            "--set",
            "data.npm=false");
    assertThat(r.exit()).isEqualTo(2);
    String last = r.errLines().get(r.errLines().size() - 1);
    assertThat(last)
        .startsWith("mlp: error: mnist: could not get train-images-idx3-ubyte")
        .contains("tried mirror http://127.0.0.1:" + port + "/mnist/")
        .contains("connection refused")
        .endsWith(
            "Place the files (raw or .gz) in " + home.resolve("mnist") + " by hand and run again");
    assertThat(r.out()).isEmpty();
  }

  /** stdout to a full device, or cut by a file size limit: never exit 0. */
  @Test
  void outputThatCannotBeWrittenIsAnErrorNotASuccess() throws Exception {
    for (String[] args :
        List.of(
            new String[] {"layers"}, new String[] {"layers", "--json"}, new String[] {"--help"})) {
      Process p =
          MlpProcess.command(args)
              .redirectOutput(new java.io.File("/dev/full"))
              .redirectError(tmp.resolve("err.txt").toFile())
              .start();
      assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      String err = Files.readString(tmp.resolve("err.txt"));
      assertThat(p.exitValue()).as(String.join(" ", args) + ": " + err).isEqualTo(2);
      assertThat(err)
          .contains(
              "mlp: error: standard output could not be written (No space left on device); what"
                  + " was written is incomplete");
    }
    // a file size limit of 1 block (1024 bytes in bash): the listing is cut there
    Path cut = tmp.resolve("layers.txt");
    ProcessBuilder limited =
        new ProcessBuilder(
                "bash",
                "-c",
                "ulimit -f 1; exec \"$0\" layers > \"$1\"",
                MlpProcess.REPO.resolve("mlp").toString(),
                cut.toString())
            .directory(MlpProcess.REPO.toFile())
            .redirectError(tmp.resolve("err2.txt").toFile());
    Process q = limited.start();
    assertThat(q.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(q.exitValue()).as(Files.readString(tmp.resolve("err2.txt"))).isEqualTo(2);
    assertThat(Files.readString(tmp.resolve("err2.txt")))
        .contains("mlp: error: standard output could not be written (File too large)");
    assertThat(Files.size(cut)).isLessThanOrEqualTo(1024);
    // a reader that goes away (| head) is how pipes end: exit 141 as SIGPIPE would give, quietly
    Process piped =
        new ProcessBuilder(
                "bash",
                "-c",
                // a pipe whose reader has already exited: the first write fails, no race
                "exec 3> >(true); wait $!; exec \"$0\" layers >&3",
                MlpProcess.REPO.resolve("mlp").toString())
            .directory(MlpProcess.REPO.toFile())
            .redirectError(tmp.resolve("err3.txt").toFile())
            .start();
    assertThat(piped.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(piped.exitValue()).isEqualTo(141);
    assertThat(tmp.resolve("err3.txt")).isEmptyFile();
  }
}
