package dev.mlp.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlp.cli.report.Charts.Curve;
import dev.mlp.run.folder.RunFolder;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report as a user sees it: the PNGs, the page, and the errors on bad run folders. */
class ReportTest {
  private static final String RUN = "mnist-2layer-20261127-233000";

  @TempDir Path tmp;

  @Test
  void oneRunGetsItsReportInItsOwnFolder() throws IOException {
    Path run = RunFixture.write(tmp, RUN, 8, true, true);
    assertThat(Report.write(run))
        .containsExactly(
            run.resolve("loss.png"),
            run.resolve("accuracy.png"),
            run.resolve("confusion.png"),
            run.resolve("report.html"));
    assertThat(fileNames(run))
        .containsExactlyInAnyOrder(
            "config.yaml",
            "metrics.jsonl",
            "summary.json",
            "loss.png",
            "accuracy.png",
            "confusion.png",
            "report.html",
            ".mlp-lock"); // the lock the report held while it wrote
  }

  @Test
  void lossPlotDrawsTrainTestAndValidationFallingEpochByEpoch() throws IOException {
    Path run = RunFixture.write(tmp, RUN, 8, true, true);
    Report.write(run);
    BufferedImage img = png(run.resolve("loss.png"));
    assertThat(img.getWidth()).isEqualTo(900);
    assertThat(img.getHeight()).isEqualTo(500);
    for (int split = 0; split < 3; split++) {
      Color c = Charts.seriesColor(0, split);
      // the legend is right of the plot: in the left half only the series has this colour, the
      // early epochs in the first quarter, later ones in the second
      assertThat(meanY(img, c, 0, 225)).as("split %d", split).isLessThan(meanY(img, c, 225, 450));
    }
  }

  @Test
  void accuracyPlotDrawsTrainTestAndValidationRisingEpochByEpoch() throws IOException {
    Path run = RunFixture.write(tmp, RUN, 8, true, true);
    Report.write(run);
    BufferedImage img = png(run.resolve("accuracy.png"));
    assertThat(img.getWidth()).isEqualTo(900);
    assertThat(img.getHeight()).isEqualTo(500);
    for (int split = 0; split < 3; split++) {
      Color c = Charts.seriesColor(0, split);
      assertThat(meanY(img, c, 0, 225))
          .as("split %d", split)
          .isGreaterThan(meanY(img, c, 225, 450));
    }
  }

  @Test
  void withoutAValidationSplitThereIsNoValidationSeries() throws IOException {
    Path run = RunFixture.write(tmp, RUN, 5, false, true);
    Report.write(run);
    for (String plot : List.of("loss.png", "accuracy.png")) {
      BufferedImage img = png(run.resolve(plot));
      assertThat(pixels(img, Charts.seriesColor(0, 0), 0, 450)).as(plot).isNotEmpty();
      assertThat(pixels(img, Charts.seriesColor(0, 1), 0, 450)).as(plot).isNotEmpty();
      assertThat(pixels(img, Charts.seriesColor(0, 2), 0, img.getWidth())).as(plot).isEmpty();
    }
  }

  @Test
  void confusionHasTrueClassesDownPredictedAcrossAndCountsInTheCells() throws IOException {
    Path run = RunFixture.write(tmp, RUN, 8, true, true);
    Report.write(run);
    BufferedImage img = png(run.resolve("confusion.png"));
    assertThat(img.getWidth()).isEqualTo(700);
    assertThat(img.getHeight()).isEqualTo(680);

    // the strongly coloured cells are the diagonal's: from the first class's top-left corner to
    // the last one's bottom-right corner they span the matrix
    Rectangle m = bounds(img, 90);
    assertThat(m.width).isGreaterThan(400);
    assertThat(m.height).isGreaterThan(400);
    double w = m.width / 10.0;
    double h = m.height / 10.0;
    int[][] sat = new int[10][10];
    for (int i = 0; i < 10; i++) {
      for (int j = 0; j < 10; j++) {
        // a corner of the cell, away from the count written in its middle
        int x = (int) (m.x + (j + 0.12) * w);
        int y = (int) (m.y + (i + 0.12) * h);
        sat[i][j] = saturation(img.getRGB(x, y));
      }
    }
    int weakestDiagonal = Integer.MAX_VALUE;
    int strongestOff = 0;
    for (int i = 0; i < 10; i++) {
      for (int j = 0; j < 10; j++) {
        if (i == j) {
          weakestDiagonal = Math.min(weakestDiagonal, sat[i][j]);
        } else {
          strongestOff = Math.max(strongestOff, sat[i][j]);
        }
      }
    }
    assertThat(weakestDiagonal).isGreaterThan(strongestOff);
    // 300 fours taken for nines (row 4, column 9) show; 5 nines taken for fours barely
    assertThat(sat[4][9]).isGreaterThan(sat[9][4] + 20);
    assertThat(strongestOff).isEqualTo(sat[4][9]);

    // each cell has its count written in dark digits, whatever its colour
    assertThat(darkPixels(img, cell(m, 0, 0))).isPositive();
    assertThat(darkPixels(img, cell(m, 4, 9))).isPositive();
    assertThat(darkPixels(img, cell(m, 9, 4))).isPositive();
  }

  @Test
  void pageShowsTheNumbersTheEmbeddedPlotsAndTheEscapedConfig() throws IOException {
    Path run = RunFixture.write(tmp, RUN, 8, true, true);
    Report.write(run);
    String html = Files.readString(run.resolve("report.html"));
    assertThat(html)
        .contains("<title>mlp report: " + RUN + "</title>", "<h1>Training report: " + RUN)
        .contains(
            "<tr><td>"
                + RUN
                + "</td><td>mnist-2layer</td><td class=\"n\">8</td><td class=\"n\">8</td>"
                + "<td class=\"n\">92.30%</td><td class=\"n\">0.2512</td>"
                + "<td class=\"n\">10,000</td><td>finished</td></tr>")
        .contains(
            "<tr><td>4</td><td class=\"n\">0.932</td><td class=\"n\">0.680</td>"
                + "<td class=\"n\">0.786</td><td class=\"n\">1,000</td></tr>",
            "<tr><td>9</td><td class=\"n\">0.734</td><td class=\"n\">0.950</td>"
                + "<td class=\"n\">0.828</td><td class=\"n\">1,000</td></tr>")
        .contains("<tr class=\"macro\"><td>macro average</td>")
        .contains("<pre>name: mnist-2layer\nseed: 42\n# widths &lt;128&gt; &amp; &quot;10&quot;\n")
        .doesNotContain("<128>", "<link", "<script", "http:", "https:");
    for (int k = 0; k < 10; k++) {
      assertThat(html).contains("<tr><td>" + k + "</td>");
    }
    // self-contained: the images are in the page, the very bytes of the PNG files
    List<String> sources = new ArrayList<>();
    Matcher src = Pattern.compile("src=\"([^\"]*)\"").matcher(html);
    while (src.find()) {
      sources.add(src.group(1));
    }
    List<String> files = List.of("loss.png", "accuracy.png", "confusion.png");
    assertThat(sources).hasSize(files.size());
    for (int i = 0; i < files.size(); i++) {
      assertThat(sources.get(i)).startsWith("data:image/png;base64,");
      byte[] embedded = Base64.getDecoder().decode(sources.get(i).substring(22));
      assertThat(embedded).isEqualTo(Files.readAllBytes(run.resolve(files.get(i))));
    }
  }

  @Test
  void aRunStillTrainingHasCurvesButNoConfusionAndThePageSaysWhy() throws IOException {
    Path run = RunFixture.write(tmp, "running", 3, false, false);
    // training appends to metrics.jsonl right now: its last line is half written
    Files.writeString(
        run.resolve("metrics.jsonl"), "{\"kind\":\"step\",\"epo", StandardOpenOption.APPEND);
    assertThat(Report.write(run))
        .containsExactly(
            run.resolve("loss.png"), run.resolve("accuracy.png"), run.resolve("report.html"));
    String html = Files.readString(run.resolve("report.html"));
    assertThat(html)
        .contains("<td>running</td><td>—</td><td class=\"n\">3</td>")
        .contains("<td>no summary.json</td>")
        .contains("the run is still training or was interrupted")
        .contains("the 3 epoch(s) logged so far")
        .doesNotContain("Confusion matrix", "Per class");
  }

  @Test
  void aRunWithoutAFinishedEpochHasOnlyThePage() throws IOException {
    Path run = RunFixture.write(tmp, "started", 0, false, false);
    assertThat(Report.write(run)).containsExactly(run.resolve("report.html"));
    assertThat(Files.readString(run.resolve("report.html")))
        .contains("No epoch has finished yet: nothing to plot.");
  }

  @Test
  void severalRunsShareThePlotsSeriesNamedByRunAndHaveAConfusionEach() throws IOException {
    Path a = RunFixture.write(tmp.resolve("runs"), "a-1", 8, true, true);
    Path b = RunFixture.write(tmp.resolve("runs"), "b-2", 3, false, false);
    Path out = tmp.resolve("compare");
    assertThat(Report.write(List.of(a, b), out))
        .containsExactly(
            out.resolve("loss.png"),
            out.resolve("accuracy.png"),
            out.resolve("confusion-a-1.png"),
            out.resolve("report.html"));

    List<RunFolder> runs = List.of(RunFolder.read(a), RunFolder.read(b));
    assertThat(Charts.curve(Curve.ACCURACY, runs, List.of("a-1", "b-2")).get().getSeriesMap())
        .containsOnlyKeys(
            "a-1: train accuracy",
            "a-1: test accuracy",
            "a-1: validation accuracy",
            "b-2: train accuracy",
            "b-2: test accuracy");
    BufferedImage loss = png(out.resolve("loss.png"));
    assertThat(pixels(loss, Charts.seriesColor(1, 0), 0, 450)).isNotEmpty();
    assertThat(pixels(loss, Charts.seriesColor(1, 1), 0, 450)).isNotEmpty();
    assertThat(pixels(loss, Charts.seriesColor(1, 2), 0, loss.getWidth())).isEmpty();

    String html = Files.readString(out.resolve("report.html"));
    assertThat(html)
        .contains("<title>mlp report: a-1, b-2</title>", "<h1>Training report: 2 runs compared")
        .contains("<h2>Run a-1</h2>", "<h2>Run b-2</h2>", "<td class=\"n\">92.30%</td>")
        .contains("<td>no summary.json</td>");
  }

  @Test
  void runsOfTheSameFolderNameAreToldApart() throws IOException {
    Path a = RunFixture.write(tmp.resolve("x"), "run", 2, false, true);
    Path b = RunFixture.write(tmp.resolve("y"), "run", 2, false, true);
    Path out = tmp.resolve("compare");
    assertThat(Report.write(List.of(a, b), out))
        .contains(out.resolve("confusion-run.png"), out.resolve("confusion-run-2.png"));
  }

  @Test
  void writingAgainReplacesTheFilesAndLeavesNoTemporaryFile() throws IOException {
    Path run = RunFixture.write(tmp, RUN, 4, true, true);
    Report.write(run);
    Files.writeString(run.resolve("loss.png"), "half a PNG");
    Report.write(run);
    assertThat(png(run.resolve("loss.png")).getWidth()).isEqualTo(900);
    assertThat(fileNames(run))
        .noneMatch(f -> f.endsWith(".tmp") || f.startsWith(".") && !f.equals(".mlp-lock"));
  }

  @Test
  void aLineThatIsNotJsonNamesTheFileAndLine() throws IOException {
    Path run = RunFixture.write(tmp, RUN, 4, true, true);
    Path metrics = replaceLine(run.resolve("metrics.jsonl"), 3, "loss=0.5");
    assertFails(run, metrics + ":3: expected one JSON object per line, got loss=0.5");
    assertThat(run.resolve("report.html")).doesNotExist();
  }

  @Test
  void aMeasurementThatIsNotANumberNamesTheFileLineAndField() throws IOException {
    Path run = RunFixture.write(tmp, RUN, 4, true, true);
    Path metrics =
        replaceLine(
            run.resolve("metrics.jsonl"),
            8,
            "{\"kind\":\"epoch\",\"epoch\":2,\"loss\":0.5,\"test_loss\":\"NaN\"}");
    assertFails(
        run, metrics + ":8: expected \"test_loss\" to be a number or left out, got \"NaN\"");
  }

  @Test
  void aLineWithoutKindNamesTheFileAndLine() throws IOException {
    Path run = RunFixture.write(tmp, RUN, 2, true, true);
    Path metrics = replaceLine(run.resolve("metrics.jsonl"), 1, "{\"epoch\":1}");
    assertFails(run, metrics + ":1: expected a \"kind\" (\"step\" or \"epoch\")");
  }

  @Test
  void aFolderWithoutMetricsIsNotARun() throws IOException {
    Path run = RunFixture.write(tmp, RUN, 2, true, true);
    Files.delete(run.resolve("metrics.jsonl"));
    assertFails(
        run,
        run.resolve("metrics.jsonl")
            + ": no such file; "
            + run
            + " is not a run folder (mlp train writes metrics.jsonl into every run folder)");
  }

  @Test
  void aMissingFolderOrAFileIsNotARunAndNothingIsCreated() throws IOException {
    Path missing = tmp.resolve("nope");
    assertFails(missing, missing + ": no such run folder");
    assertThat(missing).doesNotExist();
    Path file = Files.writeString(tmp.resolve("notes.txt"), "hello");
    assertFails(
        file,
        file + ": expected a run folder (runs/<name>-<time>/ that mlp train writes), got a file");
  }

  @Test
  void aSummaryThatIsNotJsonNamesTheFileAndLine() throws IOException {
    Path run = RunFixture.write(tmp, RUN, 2, true, true);
    Path summary = Files.writeString(run.resolve("summary.json"), "{\n  \"name\": mnist\n}");
    assertThatThrownBy(() -> Report.write(run))
        .isInstanceOf(ReportException.class)
        .hasMessageStartingWith(summary + ":2:")
        .hasMessageContaining("expected one JSON object (docs/RUNS.md), but it is not JSON")
        .hasMessageNotContaining("\n");
  }

  @Test
  void aConfusionMatrixOfTheWrongShapeNamesTheRow() throws IOException {
    Path run = RunFixture.write(tmp, RUN, 2, true, true);
    Path summary = run.resolve("summary.json");
    String json = Files.readString(summary);
    // drop the last count of row 3: [5, 5, 5, 950, 10, 5, 5, 5, 5, 5] loses its final ", 5"
    String row3 = "950, 10, 5, 5, 5, 5, 5 ]";
    assertThat(json.replaceAll("\\s+", " ")).contains("[ 5, 5, 5, " + row3);
    Files.writeString(
        summary,
        json.replaceAll("\\s+", " ").replace("5, 5, 5, " + row3, "5, 5, 5, 950, 10, 5, 5, 5, 5 ]"));
    assertFails(
        run, summary + ": expected \"confusion[3]\" to be 10 counts (one per class), got 9");
  }

  @Test
  void anOutputFolderThatIsAFileIsAnError() throws IOException {
    Path run = RunFixture.write(tmp, RUN, 2, true, true);
    Path out = Files.writeString(tmp.resolve("out"), "");
    assertThatThrownBy(() -> Report.write(List.of(run), out))
        .isInstanceOf(ReportException.class)
        .hasMessage(out + ": expected a folder to write the report into, got a file");
  }

  @Test
  void aComparisonIsNeverWrittenIntoAThirdRunAndLeavesItsReportAsItWas() throws IOException {
    Path a = RunFixture.write(tmp.resolve("runs"), "a", 3, true, true);
    Path b = RunFixture.write(tmp.resolve("runs"), "b", 3, true, true);
    Path c = RunFixture.write(tmp.resolve("runs"), "c", 3, true, true);
    Report.write(c);
    byte[] page = Files.readAllBytes(c.resolve("report.html"));
    byte[] loss = Files.readAllBytes(c.resolve("loss.png"));
    assertThatThrownBy(() -> Report.write(List.of(a, b), c))
        .isInstanceOf(ReportException.class)
        .hasMessage(
            c
                + ": holds a run, whose own report and plots this report would replace; choose"
                + " another --out folder");
    assertThat(Files.readAllBytes(c.resolve("report.html"))).isEqualTo(page);
    assertThat(Files.readAllBytes(c.resolve("loss.png"))).isEqualTo(loss);
    // its own report is written again, and a comparison goes into a folder of earlier reports
    Report.write(c);
    Path compare = tmp.resolve("compare");
    Report.write(List.of(a, b), compare);
    Report.write(List.of(a, b, c), compare);
  }

  @Test
  void aPageMlpDidNotWriteIsNeverReplaced() throws IOException {
    Path a = RunFixture.write(tmp.resolve("runs"), "a", 3, true, true);
    Path site = Files.createDirectories(tmp.resolve("site"));
    Files.writeString(site.resolve("report.html"), "<html><title>Quarterly report</title></html>");
    assertThatThrownBy(() -> Report.write(List.of(a), site))
        .isInstanceOf(ReportException.class)
        .hasMessage(
            site.resolve("report.html")
                + ": is not a report mlp wrote, and would be replaced; choose another --out"
                + " folder");
    assertThat(site.resolve("report.html"))
        .hasContent("<html><title>Quarterly report</title></html>");
    assertThat(site.resolve("loss.png")).doesNotExist();
  }

  @Test
  void aRegressorsReportPlotsRmseAndItsPredictionsAgainstTheActualValues() throws IOException {
    Path run = RunFixture.writeRegression(tmp, "temp-1", 8, x -> x);
    List<Path> written = Report.write(run);
    assertThat(written)
        .containsExactly(
            run.resolve("loss.png"),
            run.resolve("rmse.png"),
            run.resolve("predicted.png"),
            run.resolve("report.html"));
    // a training's own report: --out refuses a folder holding a user's file of any of these names
    assertThat(RunFolder.WRITTEN)
        .containsAll(written.stream().map(p -> p.getFileName().toString()).toList());
    String page = Files.readString(run.resolve("report.html"));
    assertThat(page).contains("<h3>Predicted against actual</h3>").contains("MAE 1.6000");
    assertThat(meanY(png(run.resolve("rmse.png")), Charts.seriesColor(0, 1), 0, 225))
        .as("the test RMSE falls: early epochs are drawn higher up")
        .isLessThan(meanY(png(run.resolve("rmse.png")), Charts.seriesColor(0, 1), 225, 450));

    // perfect predictions lie on the diagonal: the dots rise from bottom left to top right
    BufferedImage perfect = png(run.resolve("predicted.png"));
    assertThat(correlation(dots(perfect))).isLessThan(-0.99); // image y grows downwards
    // a model that predicts 100 for everything draws a flat row of dots
    Path flat = RunFixture.writeRegression(tmp, "temp-2", 8, x -> 100);
    Report.write(flat);
    List<int[]> row = dots(png(flat.resolve("predicted.png")));
    int top = row.stream().mapToInt(p -> p[1]).min().orElseThrow();
    int bottom = row.stream().mapToInt(p -> p[1]).max().orElseThrow();
    assertThat(bottom - top).isLessThan(12);
    assertThat(
            row.stream().mapToInt(p -> p[0]).max().orElseThrow()
                - row.stream().mapToInt(p -> p[0]).min().orElseThrow())
        .isGreaterThan(300);
  }

  /** The plot's dots: bluish pixels (the grey diagonal and the black text are not). */
  private static List<int[]> dots(BufferedImage img) {
    List<int[]> found = new ArrayList<>();
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        Color p = new Color(img.getRGB(x, y));
        if (p.getBlue() - p.getRed() > 40 && p.getBlue() > 150) {
          found.add(new int[] {x, y});
        }
      }
    }
    // the legend's dot sits in the top-left corner, away from the data
    found.removeIf(p -> p[0] < 140 && p[1] < 100);
    assertThat(found).hasSizeGreaterThan(200);
    return found;
  }

  private static double correlation(List<int[]> points) {
    double mx = points.stream().mapToInt(p -> p[0]).average().orElseThrow();
    double my = points.stream().mapToInt(p -> p[1]).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int[] p : points) {
      sxy += (p[0] - mx) * (p[1] - my);
      sxx += (p[0] - mx) * (p[0] - mx);
      syy += (p[1] - my) * (p[1] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }

  private static void assertFails(Path run, String message) {
    assertThatThrownBy(() -> Report.write(run))
        .isInstanceOf(ReportException.class)
        .hasMessage(message);
  }

  private static Path replaceLine(Path file, int line, String text) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.set(line - 1, text);
    return Files.write(file, lines);
  }

  private static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }

  private static BufferedImage png(Path file) throws IOException {
    BufferedImage img = ImageIO.read(file.toFile());
    assertThat(img).as("%s is a PNG image", file).isNotNull();
    return img;
  }

  /** The pixels within 10 levels of {@code c} per channel, in columns {@code [x0, x1)}. */
  private static List<int[]> pixels(BufferedImage img, Color c, int x0, int x1) {
    List<int[]> found = new ArrayList<>();
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = x0; x < x1; x++) {
        Color p = new Color(img.getRGB(x, y));
        if (Math.abs(p.getRed() - c.getRed()) <= 10
            && Math.abs(p.getGreen() - c.getGreen()) <= 10
            && Math.abs(p.getBlue() - c.getBlue()) <= 10) {
          found.add(new int[] {x, y});
        }
      }
    }
    return found;
  }

  /** The mean row of {@code c}'s pixels in columns {@code [x0, x1)}; there must be some. */
  private static double meanY(BufferedImage img, Color c, int x0, int x1) {
    List<int[]> found = pixels(img, c, x0, x1);
    assertThat(found).as("pixels of %s in columns %d to %d", c, x0, x1).isNotEmpty();
    return found.stream().mapToInt(p -> p[1]).average().orElseThrow();
  }

  private static int saturation(int rgb) {
    Color c = new Color(rgb);
    int max = Math.max(c.getRed(), Math.max(c.getGreen(), c.getBlue()));
    int min = Math.min(c.getRed(), Math.min(c.getGreen(), c.getBlue()));
    return max - min;
  }

  /** The bounding box of the pixels more saturated than {@code threshold}. */
  private static Rectangle bounds(BufferedImage img, int threshold) {
    Rectangle r = null;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if (saturation(img.getRGB(x, y)) > threshold) {
          r = r == null ? new Rectangle(x, y, 1, 1) : r.union(new Rectangle(x, y, 1, 1));
        }
      }
    }
    assertThat(r).as("coloured cells").isNotNull();
    return r;
  }

  /** Cell {@code (row, column)} of the 10×10 matrix at {@code m}, less a 3-pixel rim. */
  private static Rectangle cell(Rectangle m, int row, int column) {
    int w = m.width / 10;
    int h = m.height / 10;
    return new Rectangle(m.x + column * w + 3, m.y + row * h + 3, w - 6, h - 6);
  }

  private static int darkPixels(BufferedImage img, Rectangle r) {
    int n = 0;
    for (int y = r.y; y < r.y + r.height; y++) {
      for (int x = r.x; x < r.x + r.width; x++) {
        Color c = new Color(img.getRGB(x, y));
        n += c.getRed() + c.getGreen() + c.getBlue() < 200 ? 1 : 0;
      }
    }
    return n;
  }
}
