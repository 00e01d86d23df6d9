package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mlp as a library, from outside the build: examples/java-api is a plain Java application that
 * depends on mlp-run alone. It is built on its own with Maven against the installed modules, and
 * run with exactly the class path Maven resolved for it: it trains the seed config, loads the model
 * back from its checkpoint, predicts and evaluates.
 */
class JavaApiIT {
  @TempDir static Path work;
  static Path example;
  static List<String> classpath;

  @BeforeAll
  static void buildTheExampleAsAUserWould() throws Exception {
    ExampleProjects.install(work, "mlp-core,mlp-layers,mlp-data,mlp-run");
    example = ExampleProjects.copy("java-api", work);
    ExampleProjects.run(work, example, "mvn", "-q", "package");
    classpath =
        List.of(Files.readString(example.resolve("target/classpath.txt")).strip().split(":"));
  }

  @Test
  void theApplicationsClassPathHoldsNoCommandLineChartOrTerminalLibrary() {
    assertThat(classpath).anyMatch(jar -> jar.contains("/dev/mlp/mlp-run/"));
    assertThat(classpath)
        .noneMatch(jar -> jar.contains("/info/picocli/"))
        .noneMatch(jar -> jar.contains("/org/knowm/xchart/"))
        .noneMatch(jar -> jar.contains("/me/tongfei/"))
        .noneMatch(jar -> jar.contains("/dev/mlp/mlp-cli/"));
  }

  @Test
  void trainsPredictsAndEvaluatesFromJava() throws Exception {
    Path run = work.resolve("digits-run");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--add-modules");
    command.add("jdk.incubator.vector");
    command.add("-cp");
    command.add(example.resolve("target/classes") + ":" + String.join(":", classpath));
    command.add("com.example.digits.Digits");
    command.add(MlpProcess.REPO.resolve("configs/mnist-2layer.yaml").toString());
    command.add(run.toString());
    command.add("2");
    String out = ExampleProjects.run(work, work, command);

    // the run folder mlp train writes, which the command line can use
    assertThat(run.resolve("checkpoints/last.safetensors")).isRegularFile();
    assertThat(run.resolve("summary.json")).isRegularFile();
    assertThat(run.resolve("config.yaml")).isRegularFile();
    assertThat(Files.readAllLines(run.resolve("metrics.jsonl")))
        .filteredOn(l -> l.contains("\"kind\":\"epoch\""))
        .hasSize(2);

    // the seed's accuracy after 2 epochs (about 0.87), measured twice: after training and again
    // on the model loaded back from its checkpoint, to the same figure
    double trained = figure(out, "trained: test accuracy ([0-9.]+)");
    double evaluated = figure(out, "evaluated: accuracy ([0-9.]+)");
    assertThat(trained).isGreaterThan(0.85);
    assertThat(evaluated).isEqualTo(trained);

    // eight predictions of real test images, most of them right
    Matcher m =
        Pattern.compile("test image \\d: predicted (\\d) \\(([0-9.]+)%\\), labelled (\\d)")
            .matcher(out);
    int predictions = 0;
    int right = 0;
    while (m.find()) {
      predictions++;
      right += m.group(1).equals(m.group(3)) ? 1 : 0;
      assertThat(Double.parseDouble(m.group(2))).isBetween(10.0, 100.0);
    }
    assertThat(predictions).as(out).isEqualTo(8);
    assertThat(right).as(out).isGreaterThanOrEqualTo(6);

    // the command line reads the library's run as its own
    MlpProcess.Result eval =
        MlpProcess.run(
            java.util.Map.of(),
            300,
            "eval",
            "--checkpoint",
            run.resolve("checkpoints/last.safetensors").toString(),
            "--json");
    assertThat(eval.exit()).as(eval.err()).isZero();
    assertThat(eval.jsonLines().get(0).get("test").get("accuracy").asDouble()).isEqualTo(evaluated);
  }

  private static double figure(String out, String regex) {
    Matcher m = Pattern.compile(regex).matcher(out);
    assertThat(m.find()).as(out).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
