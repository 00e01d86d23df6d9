package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin story from outside the build: examples/custom-layer is built on its own with Maven
 * against the installed mlp modules, its jar goes into a plugin folder, and the real {@code mlp}
 * trains, lists and checks its layer. The plugin is never on mlp's class path.
 */
class PluginIT {
  @TempDir static Path work;
  static Path pluginJar;

  /** Runs a command in a folder, failing the test with its output if it fails. */
  static void run(Path dir, String... command) throws IOException, InterruptedException {
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
    assertThat(p.exitValue())
        .as(String.join(" ", command) + " in " + dir + ":\n" + Files.readString(log))
        .isZero();
  }

  @BeforeAll
  static void buildThePluginAsAUserWould() throws Exception {
    // 1. "publish" mlp to the local Maven repository: the parent POM and mlp-core
    run(MlpProcess.REPO, "mvn", "-q", "-N", "install");
    run(MlpProcess.REPO, "mvn", "-q", "install", "-DskipTests", "-pl", "mlp-core");
    // 2. build a copy of the example on its own, outside this source tree
    Path example = work.resolve("custom-layer");
    copyTree(MlpProcess.REPO.resolve("examples/custom-layer"), example);
    run(example, "mvn", "-q", "package");
    pluginJar = example.resolve("target/mlp-swish-1.0.0.jar");
    assertThat(pluginJar).exists();
  }

  private static void copyTree(Path from, Path to) throws IOException {
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
  }

  private static Path pluginFolder(String name, Path... jars) throws IOException {
    Path dir = Files.createDirectories(work.resolve(name));
    for (Path jar : jars) {
      Files.copy(jar, dir.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
    return dir;
  }

  @Test
  void theExamplePluginTrainsThroughTheRealCommand() throws Exception {
    Path plugins = pluginFolder("plugins", pluginJar);
    MlpProcess.Result r =
        MlpProcess.run(
            Map.of(),
            600,
            "train",
            "--plugins",
            plugins.toString(),
            "--config",
            "examples/custom-layer/mnist-swish.yaml",
            "--epochs",
            "2",
            "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("swish(β=1.0)");
    List<JsonNode> epochs = r.out().lines().map(l -> readJson(l)).toList();
    assertThat(epochs).hasSize(2);
    assertThat(epochs.get(1).get("loss").asDouble())
        .isLessThan(epochs.get(0).get("loss").asDouble());
    assertThat(epochs.get(1).get("test_accuracy").asDouble()).isGreaterThan(0.85);
  }

  @Test
  void thePluginFolderCanComeFromTheEnvironment() throws Exception {
    Path plugins = pluginFolder("plugins-env", pluginJar);
    MlpProcess.Result r =
        MlpProcess.run(
            Map.of("MLP_PLUGINS", plugins.toString()),
            120,
            "config",
            "validate",
            "examples/custom-layer/mnist-swish.yaml");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("swish(β=1.0)", "total parameters: 101,770");
  }

  @Test
  void layersListsThePluginTypeAndWhereItCameFrom() throws Exception {
    Path plugins = pluginFolder("plugins-list", pluginJar);
    MlpProcess.Result r = MlpProcess.run("layers", "--plugins", plugins.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("swish", "x · σ(βx)", "from com.example.swish.SwishModule (mlp-swish-1.0.0.jar)")
        .containsPattern("beta\\s+number\\s+default: 1.0");
  }

  @Test
  void gradcheckChecksThePluginLayer() throws Exception {
    Path plugins = pluginFolder("plugins-check", pluginJar);
    MlpProcess.Result r =
        MlpProcess.run(
            Map.of(),
            120,
            "gradcheck",
            "--plugins",
            plugins.toString(),
            "--config",
            "examples/custom-layer/mnist-swish.yaml");
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out().lines()).anyMatch(l -> l.contains("swish(β=1.0)") && l.endsWith("PASS"));
  }

  @Test
  void twoPluginsRegisteringTheSameNameAreBothNamed() throws Exception {
    Path plugins = pluginFolder("plugins-twice", pluginJar);
    Files.copy(pluginJar, plugins.resolve("mlp-swish-copy.jar"));
    MlpProcess.Result r = MlpProcess.run("layers", "--plugins", plugins.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err())
        .contains("layer type 'swish' is registered twice")
        .contains("(mlp-swish-1.0.0.jar)")
        .contains("(mlp-swish-copy.jar)");
  }

  @Test
  void aFileThatIsNotAJarIsNamed() throws Exception {
    Path plugins = Files.createDirectories(work.resolve("plugins-broken"));
    Files.writeString(plugins.resolve("broken.jar"), "this is not a zip file");
    MlpProcess.Result r = MlpProcess.run("layers", "--plugins", plugins.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .startsWith("mlp: error: " + plugins.resolve("broken.jar") + ": not a jar file");
  }

  @Test
  void aModuleWhoseConstructorThrowsIsNamedWithItsJarAndCause() throws Exception {
    Path src = Files.createDirectories(work.resolve("throwing/src/com/example/bad"));
    Files.writeString(
        src.resolve("BadModule.java"),
        "package com.example.bad;\n"
            + "public final class BadModule extends dev.mlp.core.registry.MlpModule {\n"
            + "  public BadModule() { throw new IllegalStateException(\"no licence key\"); }\n"
            + "  @Override protected void configure() {}\n"
            + "}\n");
    Path classes = Files.createDirectories(work.resolve("throwing/classes"));
    int rc =
        ToolProvider.getSystemJavaCompiler()
            .run(
                null,
                null,
                null,
                "-d",
                classes.toString(),
                "-cp",
                MlpProcess.REPO.resolve("mlp-cli/target/mlp.jar").toString(),
                src.resolve("BadModule.java").toString());
    assertThat(rc).isZero();
    Path plugins = Files.createDirectories(work.resolve("plugins-throwing"));
    try (OutputStream out = Files.newOutputStream(plugins.resolve("bad.jar"));
        JarOutputStream jar = new JarOutputStream(out)) {
      jar.putNextEntry(new JarEntry("META-INF/services/dev.mlp.core.registry.MlpModule"));
      jar.write("com.example.bad.BadModule\n".getBytes(StandardCharsets.UTF_8));
      jar.putNextEntry(new JarEntry("com/example/bad/BadModule.class"));
      jar.write(Files.readAllBytes(classes.resolve("com/example/bad/BadModule.class")));
    }
    MlpProcess.Result r = MlpProcess.run("layers", "--plugins", plugins.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .contains(plugins.resolve("bad.jar") + ": a module failed to load")
        .contains("com.example.bad.BadModule")
        .contains("no licence key");
  }

  @Test
  void aMissingPluginFolderIsABadInput() throws Exception {
    MlpProcess.Result r = MlpProcess.run("layers", "--plugins", work.resolve("nope").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly(
            "mlp: error: "
                + work.resolve("nope")
                + ": plugin folder does not exist (from --plugins or MLP_PLUGINS)");
  }

  private static JsonNode readJson(String line) {
    try {
      return new ObjectMapper().readTree(line);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }
}
