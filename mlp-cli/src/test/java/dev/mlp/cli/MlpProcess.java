package dev.mlp.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code ./mlp} launcher from the repository root, as a user would. */
final class MlpProcess {
  static final Path REPO = repo();

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

  /** Starts {@code ./mlp args} with stdout and stderr going to the given files. */
  static Process start(Path out, Path err, String... args) throws IOException {
    ProcessBuilder pb = new ProcessBuilder();
    pb.command().add(REPO.resolve("mlp").toString());
    pb.command().addAll(List.of(args));
    pb.directory(REPO.toFile());
    pb.environment().put("MLP_RUNS", RUNS.toString());
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    return pb.start();
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
    Path out = Files.createTempFile("mlp-out", ".txt");
    Path err = Files.createTempFile("mlp-err", ".txt");
    try {
      ProcessBuilder pb = new ProcessBuilder();
      pb.command().add(REPO.resolve("mlp").toString());
      pb.command().addAll(List.of(args));
      pb.directory(REPO.toFile());
      pb.environment().put("MLP_RUNS", RUNS.toString()); // tests never write into the source tree
      pb.environment().putAll(env);
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
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

  private MlpProcess() {}
}
