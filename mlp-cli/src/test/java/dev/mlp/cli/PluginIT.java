package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlp.run.checkpoint.Safetensors;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
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

  @BeforeAll
  static void buildThePluginAsAUserWould() throws Exception {
    // 1. "publish" mlp to the local Maven repository: the parent POM, mlp-core, and mlp-run with
    // what it needs (the example's sweep launcher builds on mlp-run)
    ExampleProjects.install(work, "mlp-core,mlp-layers,mlp-data,mlp-run");
    // 2. build a copy of the example on its own, outside this source tree
    Path example = ExampleProjects.copy("custom-layer", work);
    ExampleProjects.run(work, example, "mvn", "-q", "package");
    pluginJar = example.resolve("target/mlp-swish-1.0.0.jar");
    assertThat(pluginJar).exists();
  }

  private static Path pluginFolder(String name, Path... jars) throws IOException {
    Path dir = Files.createDirectories(work.resolve(name));
    for (Path jar : jars) {
      Files.copy(jar, dir.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
    return dir;
  }

  @Test
  void aPluginLauncherRunsASweepChosenByItsType() throws Exception {
    Path plugins = pluginFolder("plugins", pluginJar);
    Path sweep = work.resolve("serial-sweep");
    MlpProcess.Result r =
        MlpProcess.run(
            Map.of(),
            600,
            "sweep",
            "--plugins",
            plugins.toString(),
            "--config",
            MlpProcess.SEED_CONFIG,
            "--set",
            "optimizer.lr=0.03,0.1",
            "--set",
            "training.epochs=1",
            "--launcher",
            "serial",
            "--out",
            sweep.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("launcher serial")
        .containsSubsequence("serial: trial 0000", "serial: trial 0001")
        .containsPattern("best: trial 000[01]");
    MlpProcess.Result listed = MlpProcess.run("layers", "--plugins", plugins.toString());
    assertThat(listed.out()).contains("serial").contains("one trial at a time");
    MlpProcess.Result unknown =
        MlpProcess.run(
            "sweep",
            "--config",
            MlpProcess.SEED_CONFIG,
            "--set",
            "optimizer.lr=0.1",
            "--launcher",
            "serial",
            "--out",
            work.resolve("no-plugin").toString());
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.errLines()).hasSize(1);
    assertThat(unknown.errLines().get(0)).contains("unknown launcher type 'serial'");
    assertThat(work.resolve("no-plugin")).doesNotExist();
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
  void thePluginsCallbackHearsEveryEpochOfTheRealCommand() throws Exception {
    Path plugins = pluginFolder("plugins-callback", pluginJar);
    MlpProcess.Result r =
        MlpProcess.run(
            Map.of(),
            600,
            "train",
            "--plugins",
            plugins.toString(),
            "--config",
            "examples/custom-layer/mnist-weight-norms.yaml",
            "--epochs",
            "2",
            "--json",
            "--out",
            work.resolve("run-weight-norms").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> norms =
        r.errLines().stream().filter(l -> l.startsWith("weight norms after epoch")).toList();
    assertThat(norms).hasSize(2);
    assertThat(norms.get(1))
        .matches(
            "weight norms after epoch 2: layers\\.0\\.weight [0-9.]+ layers\\.0\\.bias [0-9.]+"
                + " layers\\.2\\.weight [0-9.]+ layers\\.2\\.bias [0-9.]+");
    assertThat(r.jsonLines()).hasSize(2); // stdout stays one JSON line per epoch
    assertThat(Files.readString(work.resolve("run-weight-norms/config.yaml")))
        .contains("callbacks:\n  - type: weight_norms\n    every: 1\n");
  }

  @Test
  void aPluginCallbackThrowingIsNamedWithItsJarAndBlamedNotMlp() throws Exception {
    MlpProcess.Result r = trainFaulty("callback");
    assertThat(r.exit()).as(r.err()).isEqualTo(5);
    assertThat(r.errLines())
        .last()
        .isEqualTo(
            "mlp: error: training.callbacks[0] faulty_callback (from faulty-layer.jar) failed in"
                + " onEpoch: java.lang.IllegalStateException: cannot read the epoch");
    assertThat(r.err()).doesNotContain("internal error").doesNotContain("\tat ");
  }

  @Test
  void aPluginLayerWithAnOnnxFormIsExportedAndRunsInOnnxRuntime() throws Exception {
    Path plugins = pluginFolder("plugins-export", pluginJar);
    Path onnx = work.resolve("swish.onnx");
    MlpProcess.Result e = trainAndExport(plugins, "mnist-swish.yaml", "run-swish-export", onnx);
    assertThat(e.exit()).as(e.err()).isZero();
    ExportIT.assertCheckerAccepts(onnx);
    ExportIT.assertOnnxRuntimeAgreesWithPredict(
        onnx,
        work.resolve("run-swish-export/checkpoints/last.safetensors"),
        Map.of("MLP_PLUGINS", plugins.toString()));
  }

  @Test
  void aPluginLayerWithoutAnOnnxFormIsNamedAndNothingIsWritten() throws Exception {
    Path plugins = pluginFolder("plugins-no-onnx", pluginJar);
    Path onnx = work.resolve("scale-shift.onnx");
    MlpProcess.Result e =
        trainAndExport(plugins, "mnist-scale-shift.yaml", "run-scale-shift-export", onnx);
    assertThat(e.exit()).isEqualTo(2);
    assertThat(e.errLines())
        .containsExactly(
            "mlp: error: model.layers[1] scale_shift (from mlp-swish-1.0.0.jar) has no ONNX form;"
                + " a plugin's layer gives one by implementing dev.mlp.core.nn.OnnxExportable");
    assertThat(onnx).doesNotExist();
    try (var left = Files.list(work)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.contains("scale-shift.onnx"));
    }
  }

  /** Trains an example config of the plugin for one epoch into {@code run}, then exports it. */
  private static MlpProcess.Result trainAndExport(
      Path plugins, String config, String run, Path onnx) throws Exception {
    Map<String, String> env = Map.of("MLP_PLUGINS", plugins.toString());
    MlpProcess.Result t =
        MlpProcess.run(
            env,
            600,
            "train",
            "--config",
            "examples/custom-layer/" + config,
            "--epochs",
            "1",
            "--out",
            work.resolve(run).toString());
    assertThat(t.exit()).as(t.err()).isZero();
    return MlpProcess.run(
        env,
        120,
        "export",
        "--checkpoint",
        work.resolve(run).resolve("checkpoints/last.safetensors").toString(),
        "--out",
        onnx.toString());
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

  /** A module whose configure() throws: one line naming its jar and the cause, no stack trace. */
  @Test
  void aModuleWhoseConfigureThrowsIsOneLineNamingItsJar() throws Exception {
    Path plugins = Files.createDirectories(work.resolve("plugins-configure"));
    PluginJar.build(
        work,
        plugins.resolve("boom.jar"),
        "com.example.boom.BoomModule",
        Map.of(
            "com/example/boom/BoomModule.java",
            "package com.example.boom;\n"
                + "public final class BoomModule extends dev.mlp.core.registry.MlpModule {\n"
                + "  @Override protected void configure() {\n"
                + "    throw new IllegalStateException(\"boom in configure\");\n"
                + "  }\n"
                + "}\n"));
    MlpProcess.Result r = MlpProcess.run("layers", "--plugins", plugins.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly(
            "mlp: error: boom.jar: module com.example.boom.BoomModule failed in configure():"
                + " java.lang.IllegalStateException: boom in configure");
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

  @Test
  void theParametrisedExampleLayerIsTrainedAndCheckpointedUnderItsNamesAndDeclaredShapes()
      throws Exception {
    Path plugins = pluginFolder("plugins-scale-shift", pluginJar);
    Path run = work.resolve("run-scale-shift");
    MlpProcess.Result r =
        MlpProcess.run(
            Map.of(),
            600,
            "train",
            "--plugins",
            plugins.toString(),
            "--config",
            "examples/custom-layer/mnist-scale-shift.yaml",
            "--epochs",
            "1",
            "--out",
            run.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out() + r.err()).contains("scale_shift(128)"); // the model summary
    // init_gain was left out of the config: the run's resolved config holds its default
    assertThat(Files.readString(run.resolve("config.yaml")))
        .containsPattern("- type: scale_shift\\s+init_gain: 1.0");

    Map<String, Safetensors.Tensor> tensors =
        Safetensors.read(run.resolve("checkpoints/last.safetensors")).tensors();
    assertThat(tensors.get("layers.1.gain").shape()).containsExactly(128);
    assertThat(tensors.get("layers.1.shift").shape()).containsExactly(128);
    assertThat(tensors.get("optimizer.layers.1.gain.momentum_buffer")).isNull(); // plain sgd
    // trained: the gain has moved from its initial 1 and the shift from 0
    float[] gain = tensors.get("layers.1.gain").data();
    float[] shift = tensors.get("layers.1.shift").data();
    int moved = 0;
    for (int j = 0; j < 128; j++) {
      moved += gain[j] != 1f && shift[j] != 0f ? 1 : 0;
    }
    assertThat(moved).as("units whose gain and shift both moved").isGreaterThan(64);
  }

  /** A plugin whose layer divides by zero in forward, or throws in backward, as its spec says. */
  static final String FAULTY_MODULE =
      """
      package com.example.faulty;

      import dev.mlp.core.config.CallbackSpec;
      import dev.mlp.core.config.Field;
      import dev.mlp.core.config.LayerSpec;
      import dev.mlp.core.nn.Layer;
      import dev.mlp.core.nn.Mode;
      import dev.mlp.core.registry.MlpModule;
      import dev.mlp.core.tensor.Tensor;
      import dev.mlp.core.train.EpochMetrics;
      import dev.mlp.core.train.TrainingListener;

      public final class FaultyModule extends MlpModule {
        public record FaultyCallbackSpec() implements CallbackSpec {}

        public record FaultySpec(@Field(value = "forward or backward", fallback = "forward") String in)
            implements LayerSpec {
          public FaultySpec {
            in = in == null ? "forward" : in;
          }
        }

        static final class Faulty implements Layer {
          private final int size;
          private final boolean inForward;
          private int zero;

          Faulty(int size, boolean inForward) {
            this.size = size;
            this.inForward = inForward;
          }

          @Override public int inputSize() { return size; }
          @Override public int outputSize() { return size; }
          @Override public String typeName() { return "faulty"; }

          @Override
          public Tensor forward(Tensor x, Mode mode) {
            if (inForward) {
              zero = size / zero;
            }
            return x;
          }

          @Override
          public Tensor backward(Tensor dy) {
            if (!inForward) {
              throw new IllegalStateException("lost its gradient buffer");
            }
            return dy;
          }
        }

        @Override
        protected void configure() {
          layer("faulty", FaultySpec.class,
              (spec, ctx) -> new Faulty(ctx.inputSize(), spec.in().equals("forward")),
              "throws, on purpose");
          callback("faulty_callback", FaultyCallbackSpec.class,
              (spec, ctx) -> new TrainingListener() {
                @Override
                public void onEpoch(EpochMetrics m, boolean improved) {
                  throw new IllegalStateException("cannot read the epoch");
                }
              },
              "throws after the first epoch, on purpose");
        }
      }
      """;

  private static MlpProcess.Result trainFaulty(String in) throws Exception {
    Path plugins = Files.createDirectories(work.resolve("plugins-faulty"));
    Path jar = plugins.resolve("faulty-layer.jar");
    if (!Files.exists(jar)) {
      PluginJar.build(
          work,
          jar,
          "com.example.faulty.FaultyModule",
          Map.of("com/example/faulty/FaultyModule.java", FAULTY_MODULE));
    }
    Path config = work.resolve("faulty-" + in + ".yaml");
    Files.writeString(
        config,
        "name: faulty\n"
            + "data: {type: mnist}\n"
            + "model:\n"
            + "  layers:\n"
            + "    - {type: linear, units: 16}\n"
            + (in.equals("callback") ? "" : "    - {type: faulty, in: " + in + "}\n")
            + "    - {type: linear, units: 10}\n"
            + "    - {type: softmax_cross_entropy}\n"
            + "optimizer: {type: sgd, lr: 0.1}\n"
            + (in.equals("callback")
                ? "training: {epochs: 1, callbacks: [{type: faulty_callback}]}\n"
                : "training: {epochs: 1}\n"));
    return MlpProcess.run(
        Map.of(),
        300,
        "train",
        "--plugins",
        plugins.toString(),
        "--config",
        config.toString(),
        "--out",
        work.resolve("run-faulty-" + in).toString());
  }

  @Test
  void aPluginLayerThrowingInForwardIsNamedWithItsJarAndBlamedNotMlp() throws Exception {
    MlpProcess.Result r = trainFaulty("forward");
    assertThat(r.exit()).as(r.err()).isEqualTo(5);
    assertThat(r.errLines())
        .last()
        .isEqualTo(
            "mlp: error: model.layers[1] faulty (from faulty-layer.jar) failed in forward:"
                + " java.lang.ArithmeticException: / by zero");
    assertThat(r.err()).doesNotContain("internal error").doesNotContain("\tat ");
  }

  @Test
  void aPluginLayerThrowingInBackwardIsNamedWithItsJarAndBlamedNotMlp() throws Exception {
    MlpProcess.Result r = trainFaulty("backward");
    assertThat(r.exit()).as(r.err()).isEqualTo(5);
    assertThat(r.errLines())
        .last()
        .isEqualTo(
            "mlp: error: model.layers[1] faulty (from faulty-layer.jar) failed in backward:"
                + " java.lang.IllegalStateException: lost its gradient buffer");
    assertThat(r.err()).doesNotContain("internal error");
  }
}
