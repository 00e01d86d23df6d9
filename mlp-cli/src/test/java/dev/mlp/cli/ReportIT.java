package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlp.cli.report.RunFixture;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlp report} through the real process, on synthetic run folders. */
class ReportIT {
  /** A display that is not there: the report must not need one. */
  private static final Map<String, String> NO_DISPLAY = Map.of("DISPLAY", ":99");

  @TempDir Path tmp;

  @Test
  void reportsARunIntoItsFolderWithoutADisplay() throws Exception {
    Path run = RunFixture.write(tmp, "mnist-2layer-20261127-233000", 6, true, true);
    MlpProcess.Result r = MlpProcess.run(NO_DISPLAY, 120, "report", run.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo(run.resolve("report.html") + "\n");
    for (String png : List.of("loss.png", "accuracy.png", "confusion.png")) {
      BufferedImage img = ImageIO.read(run.resolve(png).toFile());
      assertThat(img).as(png).isNotNull();
      assertThat(img.getWidth()).as(png).isGreaterThan(600);
    }
    assertThat(Files.readString(run.resolve("report.html")))
        .contains("mnist-2layer-20261127-233000", "92.30%", "&lt;128&gt;");
  }

  @Test
  void severalRunsGoToACompareFolderUnderTheRunsFolderByDefault() throws Exception {
    Path a = RunFixture.write(tmp, "a", 4, true, true);
    Path b = RunFixture.write(tmp, "b", 2, false, false);
    MlpProcess.Result r = MlpProcess.run(NO_DISPLAY, 120, "report", a.toString(), b.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    String page = r.out().strip();
    // MlpProcess points MLP_RUNS at a temporary folder, as a user may; else it is ./runs
    assertThat(page)
        .matches(
            java.util.regex.Pattern.quote(MlpProcess.RUNS.toString())
                + "/compare-\\d{8}-\\d{6}/report\\.html");
    assertThat(MlpProcess.fileNames(Path.of(page).getParent()))
        .containsExactlyInAnyOrder(
            ".mlp-lock", "loss.png", "accuracy.png", "confusion-a.png", "report.html");
  }

  @Test
  void helpTellsWhereTheReportGoes() throws Exception {
    MlpProcess.Result r = MlpProcess.run("report", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("RUN...", "--out=DIR", "compare-<yyyyMMdd-HHmmss> under $MLP_RUNS");
    assertThat(MlpProcess.run("--help").out()).contains("report");
  }

  @Test
  void aMissingRunFolderIsOneLineAndExitCode2() throws Exception {
    MlpProcess.Result r = MlpProcess.run("report", "/nonexistent");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines()).containsExactly("mlp: error: /nonexistent: no such run folder");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aBrokenMetricsLineIsOneLineNamingFileAndLineAndExitCode2() throws Exception {
    Path run = RunFixture.write(tmp, "broken", 2, false, true);
    Path metrics = run.resolve("metrics.jsonl");
    List<String> lines = new ArrayList<>(Files.readAllLines(metrics));
    lines.set(1, "{\"kind\":\"step\",");
    Files.write(metrics, lines);
    MlpProcess.Result r = MlpProcess.run("report", run.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly(
            "mlp: error: "
                + metrics
                + ":2: expected one JSON object per line, got {\"kind\":\"step\",");
    assertThat(run.resolve("report.html")).doesNotExist();
  }
}
