package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The projects under examples/ built as a user would build them: outside this source tree, with
 * Maven, against the mlp modules installed in the local Maven repository.
 */
final class ExampleProjects {
  private ExampleProjects() {}

  /** "Publishes" the parent POM and {@code modules} to the local Maven repository. */
  static void install(Path work, String modules) throws IOException, InterruptedException {
    run(work, MlpProcess.REPO, "mvn", "-q", "-N", "install");
    run(work, MlpProcess.REPO, "mvn", "-q", "install", "-DskipTests", "-pl", modules);
  }

  /** A copy of examples/{@code name} in {@code work}, without any build output. */
  static Path copy(String name, Path work) throws IOException {
    Path from = MlpProcess.REPO.resolve("examples").resolve(name);
    Path to = work.resolve(name);
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        if (p.toString().contains("/target")) {
          continue;
        }
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return to;
  }

  /**
   * Runs a command in {@code dir} (its output logged in {@code work}), failing the test with that
   * output if it fails or takes over 15 minutes; returns the output.
   */
  static String run(Path work, Path dir, String... command)
      throws IOException, InterruptedException {
    return run(work, dir, List.of(command));
  }

  static String run(Path work, Path dir, List<String> command)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile(work, "cmd", ".log");
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(900, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " took over 15 minutes");
    }
    String output = Files.readString(log);
    assertThat(p.exitValue())
        .as(String.join(" ", command) + " in " + dir + ":\n" + output)
        .isZero();
    return output;
  }
}
