package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/**
 * A plugin jar made in a test: Java sources compiled against mlp.jar (as a plugin author compiles
 * against mlp-core) and packed with the service file that names its module. Nothing is installed.
 */
final class PluginJar {
  private PluginJar() {}

  /**
   * Compiles {@code sources} (path under the source root → text) in a folder of {@code work} and
   * writes them to {@code jar}, listing {@code module} (a class name) as its {@code MlpModule}.
   */
  static Path build(Path work, Path jar, String module, Map<String, String> sources)
      throws IOException {
    Path base = Files.createDirectories(work.resolve("src-" + jar.getFileName()));
    Path classes = Files.createDirectories(base.resolve("classes"));
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "-encoding",
            "UTF-8",
            "-d",
            classes.toString(),
            "-cp",
            MlpProcess.REPO.resolve("mlp-cli/target/mlp.jar").toString()));
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path file = base.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue());
      args.add(file.toString());
    }
    assertThat(
            ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new)))
        .as("javac of the plugin's sources")
        .isZero();
    Files.createDirectories(jar.getParent());
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out);
        Stream<Path> files = Files.walk(classes)) {
      j.putNextEntry(new JarEntry("META-INF/services/dev.mlp.core.registry.MlpModule"));
      j.write((module + "\n").getBytes(StandardCharsets.UTF_8));
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        j.write(Files.readAllBytes(f));
      }
    }
    return jar;
  }
}
