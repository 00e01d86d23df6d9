package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code mlp gradcheck} on a plugin layer with the mistakes a plugin author makes: a backward pass
 * that adds to its parameter's gradient instead of writing it, a wrong parameter gradient, a wrong
 * input gradient, a forward or backward pass that throws. The plugin is compiled here against
 * mlp.jar ({@link PluginJar}), so nothing is installed.
 */
class GradcheckIT {
  @TempDir static Path work;
  static Path plugins;

  /** y = gain ⊙ x + bias, column by column, with the mistake its spec names. */
  private static final String LAYER =
      """
      package com.example.scaleshift;

      import dev.mlp.core.nn.Layer;
      import dev.mlp.core.nn.Mode;
      import dev.mlp.core.nn.Parameter;
      import dev.mlp.core.tensor.Tensor;
      import java.util.Arrays;
      import java.util.List;

      public final class ScaleShift implements Layer {
        private final int n;
        private final String bug;
        private final Parameter gain;
        private final Parameter bias;
        private Tensor x;
        private Tensor y;
        private Tensor dx;

        public ScaleShift(int n, String bug) {
          this.n = n;
          this.bug = bug;
          gain = new Parameter("gain", new Tensor(1, n));
          bias = new Parameter("bias", new Tensor(1, n));
          for (int j = 0; j < n; j++) {
            gain.value().data()[j] = 1f + 0.01f * j;
            bias.value().data()[j] = 0.1f;
          }
        }

        @Override public int inputSize() { return n; }
        @Override public int outputSize() { return n; }

        @Override
        public Tensor forward(Tensor input, Mode mode) {
          if (bug.equals("throws_in_forward")) {
            throw new IllegalStateException("forward is broken");
          }
          x = input;
          y = Tensor.reuse(y, input.rows(), n);
          for (int i = 0; i < input.size(); i++) {
            y.data()[i] = gain.value().data()[i % n] * x.data()[i] + bias.value().data()[i % n];
          }
          return y;
        }

        @Override
        public Tensor backward(Tensor dy) {
          if (bug.equals("throws_in_backward")) {
            throw new IllegalStateException("backward is broken");
          }
          float[] dg = gain.grad().data();
          float[] db = bias.grad().data();
          if (!bug.equals("adds")) {
            Arrays.fill(dg, 0f);
          }
          Arrays.fill(db, 0f);
          float k = bug.equals("wrong_gain") ? 2f : 1f;
          for (int i = 0; i < dy.size(); i++) {
            dg[i % n] += k * dy.data()[i] * x.data()[i];
            db[i % n] += dy.data()[i];
          }
          dx = Tensor.reuse(dx, dy.rows(), n);
          float m = bug.equals("wrong_input") ? 3f : 1f;
          for (int i = 0; i < dy.size(); i++) {
            dx.data()[i] = m * dy.data()[i] * gain.value().data()[i % n];
          }
          return dx;
        }

        @Override public List<Parameter> parameters() { return List.of(gain, bias); }
        @Override public String typeName() { return "scale_shift"; }
        @Override public String toString() { return "scale_shift(" + n + ")"; }
      }
      """;

  private static final String SPEC =
      """
      package com.example.scaleshift;

      import dev.mlp.core.config.Field;
      import dev.mlp.core.config.LayerSpec;

      public record ScaleShiftSpec(
          @Field(
              value = "none, adds, wrong_gain, wrong_input, throws_in_forward or throws_in_backward",
              fallback = "none")
          String bug)
          implements LayerSpec {
        public ScaleShiftSpec {
          bug = bug == null ? "none" : bug;
        }
      }
      """;

  private static final String MODULE =
      """
      package com.example.scaleshift;

      import dev.mlp.core.registry.MlpModule;

      public final class ScaleShiftModule extends MlpModule {
        @Override
        protected void configure() {
          layer(
              "scale_shift",
              ScaleShiftSpec.class,
              (spec, ctx) -> new ScaleShift(ctx.inputSize(), spec.bug()),
              "gain ⊙ x + bias, with a chosen mistake in its backward pass");
        }
      }
      """;

  @BeforeAll
  static void buildTheBrokenPlugin() throws Exception {
    plugins = work.resolve("plugins");
    PluginJar.build(
        work,
        plugins.resolve("scale-shift.jar"),
        "com.example.scaleshift.ScaleShiftModule",
        Map.of(
            "com/example/scaleshift/ScaleShift.java", LAYER,
            "com/example/scaleshift/ScaleShiftSpec.java", SPEC,
            "com/example/scaleshift/ScaleShiftModule.java", MODULE));
  }

  /** configs/mnist-relu.yaml with a scale_shift layer, making {@code bug}, after the first. */
  private static MlpProcess.Result gradcheck(String bug) throws Exception {
    Path config =
        MlpProcess.editedConfig(
            work.resolve("scale-shift-" + bug + ".yaml"),
            "mnist-relu.yaml",
            "    - type: relu\n",
            "    - type: scale_shift\n      bug: " + bug + "\n    - type: relu\n");
    return MlpProcess.run(
        Map.of(), 300, "gradcheck", "--plugins", plugins.toString(), "--config", config.toString());
  }

  @Test
  void aCorrectPluginLayerPassesWithEachGradientByName() throws Exception {
    MlpProcess.Result r = gradcheck("none");
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out().lines())
        .anyMatch(l -> l.matches("1 +scale_shift\\(128\\) +\\S+ +\\S+ +PASS"))
        .anyMatch(l -> l.matches(" +gain +\\S+ +gain\\[\\d+] +PASS"))
        .anyMatch(l -> l.matches(" +bias +\\S+ +bias\\[\\d+] +PASS"))
        .anyMatch(l -> l.matches(" +input +\\S+ +input\\[\\d+] +PASS"))
        .anyMatch(l -> l.matches(" +weight +\\S+ +weight\\[\\d+] +PASS"));
    assertThat(r.out()).endsWith("all layers PASS\n");
  }

  @Test
  void aBackwardPassThatAddsToItsGradientFailsWithExitCode4NamingTheParameter() throws Exception {
    MlpProcess.Result r = gradcheck("adds");
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCode.CHECK_FAILED);
    assertThat(r.out().lines())
        .anyMatch(l -> l.matches("1 +scale_shift\\(128\\) +\\S+ +\\S+ +FAIL"))
        .anyMatch(l -> l.matches(" +gain +\\S+ +gain\\[\\d+] +FAIL"))
        .anyMatch(l -> l.matches(" +bias +\\S+ +bias\\[\\d+] +PASS"))
        .anyMatch(l -> l.matches(" +input +\\S+ +input\\[\\d+] +PASS"))
        .filteredOn(l -> l.startsWith("layers["))
        .containsExactly(
            "layers[1] scale_shift: parameter gain: backward adds to its gradient instead of"
                + " writing it (second call gave 2.0× the first); Layer.backward must overwrite"
                + " Parameter.grad()");
    assertThat(r.out()).endsWith("some layers FAIL\n");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void aWrongParameterGradientIsNamedByParameter() throws Exception {
    MlpProcess.Result r = gradcheck("wrong_gain");
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCode.CHECK_FAILED);
    assertThat(r.out().lines())
        .filteredOn(l -> l.startsWith("layers["))
        .singleElement()
        .asString()
        .startsWith(
            "layers[1] scale_shift: parameter gain: backward disagrees with central differences"
                + " (error ")
        .contains("at gain[")
        .satisfies(l -> assertThat(error(l)).as("|2g − g| / |2g|").isCloseTo(0.5, within(0.01)));
  }

  /** The error a failure line quotes. */
  private static double error(String failure) {
    Matcher m = Pattern.compile("\\(error (\\S+) > ").matcher(failure);
    assertThat(m.find()).as(failure).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void aWrongInputGradientIsNamedAsTheInputGradient() throws Exception {
    MlpProcess.Result r = gradcheck("wrong_input");
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCode.CHECK_FAILED);
    assertThat(r.out().lines())
        .anyMatch(l -> l.matches(" +input +\\S+ +input\\[\\d+] +FAIL"))
        .filteredOn(l -> l.startsWith("layers["))
        .singleElement()
        .asString()
        .startsWith(
            "layers[1] scale_shift: input gradient: backward disagrees with central differences"
                + " (error ")
        .contains("at input[")
        .satisfies(
            l -> assertThat(error(l)).as("|3g − g| / |3g|").isCloseTo(2 / 3.0, within(0.01)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"forward, forward is broken", "backward, backward is broken"})
  void aPluginLayerThatThrowsIsNamedWithItsJarAndExitCode5NotAsAnMlpBug(String pass, String cause)
      throws Exception {
    MlpProcess.Result r = gradcheck("throws_in_" + pass);
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCode.PLUGIN_FAILED);
    assertThat(r.errLines())
        .containsExactly(
            "mlp: error: model.layers[1] scale_shift (from scale-shift.jar) failed in "
                + pass
                + ": java.lang.IllegalStateException: "
                + cause);
    assertThat(r.out()).as("the layers before it were checked").contains("linear(784 → 128)");
  }
}
