package dev.mlp.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs the real {@code ./mlp} launcher from the repository root, as a user would. */
final class MlpProcess {
  static final Path REPO = repo();

  /** The seed's config, which most tests train. */
  static final String SEED_CONFIG = "configs/mnist-2layer.yaml";

  /** Where the runs of tests go that name no --out: one temporary folder per test JVM. */
  static final Path RUNS = temporaryRuns();

  record Result(int exit, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }

    /** stdout as one JSON object per line (what --json prints). */
    List<com.fasterxml.jackson.databind.JsonNode> jsonLines() {
      com.fasterxml.jackson.databind.ObjectMapper json =
          new com.fasterxml.jackson.databind.ObjectMapper();
      return out.lines()
          .map(
              l -> {
                try {
                  return json.readTree(l);
                } catch (IOException e) {
                  throw new AssertionError("stdout line is not JSON: " + l, e);
                }
              })
          .toList();
    }
  }

  private static Path temporaryRuns() {
    try {
      Path dir = Files.createTempDirectory("mlp-test-runs");
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try (var files = Files.walk(dir)) {
                      files
                          .sorted(java.util.Comparator.reverseOrder())
                          .forEach(f -> f.toFile().delete());
                    } catch (IOException e) {
                      // a temporary folder left behind is harmless
                    }
                  }));
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code ./mlp args} run from the repository root, its runs going to {@link #RUNS} unless a test
   * names its --out: tests never write into the source tree.
   */
  static ProcessBuilder command(String... args) {
    return command(REPO.resolve("mlp"), args);
  }

  /** {@link #command(String...)} through another copy of the launcher. */
  static ProcessBuilder command(Path launcher, String... args) {
    ProcessBuilder pb = new ProcessBuilder();
    pb.command().add(launcher.toString());
    pb.command().addAll(List.of(args));
    pb.directory(REPO.toFile());
    pb.environment().put("MLP_RUNS", RUNS.toString());
    return pb;
  }

  /** Starts {@code ./mlp args} with stdout and stderr going to the given files. */
  static Process start(Path out, Path err, String... args) throws IOException {
    return command(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
  }

  /** A file of mlp's MNIST cache ({@code $MLP_HOME/mnist}, default ~/.cache/mlp/mnist). */
  static Path mnistFile(String name) {
    return Path.of(
            System.getenv()
                .getOrDefault("MLP_HOME", System.getProperty("user.home") + "/.cache/mlp"),
            "mnist")
        .resolve(name);
  }

  private static Path repo() {
    String env = System.getenv("MLP_REPO");
    Path p = env != null ? Path.of(env) : Path.of("..").toAbsolutePath().normalize();
    if (!Files.isExecutable(p.resolve("mlp"))) {
      throw new IllegalStateException("no executable ./mlp launcher in " + p);
    }
    return p;
  }

  static Result run(Map<String, String> env, long timeoutSeconds, String... args)
      throws IOException, InterruptedException {
    return run(REPO.resolve("mlp"), env, timeoutSeconds, args);
  }

  /** {@link #run(Map, long, String...)} through another copy of the launcher. */
  static Result run(Path launcher, Map<String, String> env, long timeoutSeconds, String... args)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("mlp-out", ".txt");
    Path err = Files.createTempFile("mlp-err", ".txt");
    try {
      ProcessBuilder pb = command(launcher, args);
      pb.environment().putAll(env);
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly); // the launcher's java
        p.destroyForcibly();
        throw new AssertionError(
            "mlp " + String.join(" ", args) + " ran over " + timeoutSeconds + " s");
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  static Result run(String... args) throws IOException, InterruptedException {
    return run(Map.of(), 120, args);
  }

  /**
   * {@code mlp train} of the seed config for {@code epochs}, then the {@code more} arguments (an
   * --out, say), with the environment's additions {@code env}; up to 10 minutes.
   */
  static Result trainSeed(Map<String, String> env, int epochs, String... more)
      throws IOException, InterruptedException {
    return run(env, 600, trainSeedArguments(epochs, more));
  }

  static Result trainSeed(int epochs, String... more) throws IOException, InterruptedException {
    return trainSeed(Map.of(), epochs, more);
  }

  /** The arguments of {@link #trainSeed}. */
  static String[] trainSeedArguments(int epochs, String... more) {
    List<String> args =
        new ArrayList<>(List.of("train", "--config", SEED_CONFIG, "--epochs", "" + epochs));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  /**
   * Writes configs/{@code name} to {@code file} with {@code target} replaced by {@code replacement}
   * (which must be there: a changed config must not quietly change the test).
   */
  static Path editedConfig(Path file, String name, String target, String replacement)
      throws IOException {
    String config = Files.readString(REPO.resolve("configs").resolve(name));
    if (!config.contains(target)) {
      throw new AssertionError("configs/" + name + " no longer holds " + target);
    }
    return Files.writeString(file, config.replace(target, replacement));
  }

  /**
   * The names of the files in {@code folder}, sorted: what a run (or the data cache) left there.
   */
  static List<String> fileNames(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private MlpProcess() {}
}
