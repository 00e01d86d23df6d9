package dev.mlp.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlp.run.sweep.Axis;
import dev.mlp.run.sweep.SweepPlan;
import dev.mlp.run.sweep.TrialResult;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

/** The sweep's report: a plot per axis, the best trials' curves, and the page with every trial. */
class SweepChartsTest {
  private static final Axis LR = new Axis("optimizer.lr", List.of("0.001", "0.01", "0.1"));

  /** A non-numeric axis whose second value needs escaping in HTML. */
  private static final Axis ACTIVATION =
      new Axis("model.layers[0].activation", List.of("relu", "\"gelu<x>\""));

  private static final Axis SEED = new Axis("training.seed", List.of("1", "2"));

  /** Test accuracy by learning rate: 0.01 is best, 0.001 worst. */
  private static final double[] BY_LR = {0.70, 0.85, 0.80};

  /**
   * Trial 0005 (lr 0.01, relu, seed 2) fails after one epoch with the highest accuracy of all, so
   * the sorted results list it first; 0007 (lr 0.01, gelu, seed 2) never started.
   */
  private static final int FAILED = 5;

  private static final int PENDING = 7;

  @TempDir Path tmp;

  @Test
  void writesOnePlotPerAxisTheCurvesAndThePageLast() throws IOException {
    Path dir = sweep(tmp.resolve("sweep"), true);
    SweepPlan plan = SweepPlan.read(dir);
    Path report = dir.resolve("report");

    List<Path> written = SweepCharts.write(dir, plan, results(dir, plan));

    assertThat(written)
        .containsExactly(
            report.resolve("metric-vs-optimizer.lr.png"),
            report.resolve("metric-vs-model.layers_0_.activation.png"),
            report.resolve("metric-vs-training.seed.png"),
            report.resolve("curves.png"),
            report.resolve("index.html"));
    for (Path png : written.subList(0, 4)) {
      BufferedImage img = ImageIO.read(png.toFile());
      assertThat(img).as(png.toString()).isNotNull();
      assertThat(img.getWidth()).isEqualTo(900);
    }
    try (Stream<Path> files = Files.list(report)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no temporary file is left")
          .hasSize(5)
          .noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void pageListsEveryTrialEscapedAndMarksTheBest() throws IOException {
    Path dir = sweep(tmp.resolve("sweep"), true);
    SweepPlan plan = SweepPlan.read(dir);
    SweepCharts.write(dir, plan, results(dir, plan));
    String html = Files.readString(dir.resolve("report/index.html"));

    assertThat(html).contains("test_accuracy (higher is better)");
    for (SweepPlan.Trial t : plan.trials()) {
      assertThat(html).contains("<td>" + t.name());
    }
    assertThat(html).contains("<td>&quot;gelu&lt;x&gt;&quot;</td>").doesNotContain("gelu<x>");
    assertThat(html).contains("out of memory &lt;boom&gt;").doesNotContain("<boom>");
    assertThat(html).contains("<td>failed</td>").contains("<td>pending</td>");
    // first in the results is the failed 0005; the best finished trial is lr 0.01, relu, seed 1
    Matcher best = Pattern.compile("<tr class=\"best\"[^>]*><td>(\\d{4})").matcher(html);
    assertThat(best.find()).isTrue();
    assertThat(best.group(1)).isEqualTo("0004");
    assertThat(best.find()).as("one best row").isFalse();
    assertThat(html).contains("Best: trial <b>0004</b>");
    // every plot embedded, no network
    assertThat(Pattern.compile("<img src=\"data:image/png;base64,").matcher(html).results())
        .hasSize(4);
    assertThat(html).doesNotContain("http://").doesNotContain("https://");
  }

  @Test
  void learningRatesGetALogAxisWidthsAndNamesDoNot() {
    assertThat(SweepCharts.logScale(LR)).isTrue();
    assertThat(SweepCharts.logScale(new Axis("optimizer.lr", List.of("1e-4", "3e-3")))).isTrue();
    assertThat(SweepCharts.logScale(new Axis("model.layers[0].units", List.of("32", "64"))))
        .isFalse();
    assertThat(SweepCharts.logScale(new Axis("x", List.of("0", "0.001", "0.1"))))
        .as("zero has no logarithm")
        .isFalse();
    assertThat(SweepCharts.logScale(ACTIVATION)).isFalse();
    assertThat(SweepCharts.numeric(ACTIVATION)).isFalse();
    assertThat(SweepCharts.numeric(new Axis("h", List.of("[64, 32]", "[128]")))).isFalse();
    assertThat(SweepCharts.numeric(new Axis("x", List.of("NaN", "1")))).isFalse();
  }

  @Test
  void failedAndPendingTrialsAreNotPlotted() throws IOException {
    Path dir = sweep(tmp.resolve("sweep"), true);
    SweepPlan plan = SweepPlan.read(dir);
    List<TrialResult> results = results(dir, plan);

    SweepCharts.AxisPoints lr = SweepCharts.points(LR, results);

    assertThat(lr.numeric()).isTrue();
    assertThat(lr.log()).isTrue();
    assertThat(lr.trials())
        .hasSize(10)
        .doesNotContain(name(FAILED), name(PENDING))
        .containsExactlyInAnyOrderElementsOf(
            plan.trials().stream()
                .filter(t -> t.index() != FAILED && t.index() != PENDING)
                .map(SweepPlan.Trial::name)
                .toList());
    assertThat(lr.x()).hasSize(10).containsOnly(0.001, 0.01, 0.1);
    assertThat(lr.meanX()).containsExactly(0.001, 0.01, 0.1);
    // lr 0.001: trials 0 to 3; lr 0.01: 4 and 6 (5 failed, 7 pending); lr 0.1: 8 to 11
    assertThat(lr.meanY()[0])
        .isCloseTo(mean(metric(0), metric(1), metric(2), metric(3)), within(1e-12));
    assertThat(lr.meanY()[1]).isCloseTo(mean(metric(4), metric(6)), within(1e-12));
  }

  @Test
  void categoriesStayInTheSweepsOrder() throws IOException {
    Path dir = sweep(tmp.resolve("sweep"), true);
    SweepPlan plan = SweepPlan.read(dir);

    SweepCharts.AxisPoints act = SweepCharts.points(ACTIVATION, results(dir, plan));

    assertThat(act.numeric()).isFalse();
    assertThat(act.log()).isFalse();
    assertThat(act.meanX()).containsExactly(0, 1);
    for (int i = 0; i < act.trials().size(); i++) {
      int index = Integer.parseInt(act.trials().get(i));
      assertThat(act.x()[i]).as(act.trials().get(i)).isEqualTo(index / 2 % 2);
      assertThat(act.y()[i]).isEqualTo(metric(index));
    }
  }

  @Test
  void curvesShowTheFiveBestFinishedTrialsBestFirst() throws IOException {
    Path dir = sweep(tmp.resolve("sweep"), true);
    SweepPlan plan = SweepPlan.read(dir);

    XYChart chart = SweepCharts.curvesChart(dir, plan, results(dir, plan));

    // 4, 6, 9, 8, 11: the failed 0005 is left out though its accuracy is the highest
    List<String> expected =
        plan.trials().stream()
            .filter(t -> t.index() != FAILED && t.index() != PENDING)
            .sorted(Comparator.comparingDouble((SweepPlan.Trial t) -> -metric(t.index())))
            .limit(5)
            .map(SweepPlan.Trial::name)
            .toList();
    assertThat(chart.getSeriesMap().keySet().stream().map(s -> s.substring(0, 4)))
        .containsExactlyElementsOf(expected)
        .containsExactly("0004", "0006", "0009", "0008", "0011");
    assertThat(chart.getSeriesMap().keySet())
        .allMatch(s -> s.contains("optimizer.lr=") && s.contains("model.layers[0].activation="));
    assertThat(chart.getSeriesMap().values()).allSatisfy(s -> assertThat(s.getXData()).hasSize(3));
  }

  @Test
  void sweepWithNoFinishedTrialGetsAPageAlone() throws IOException {
    Path dir = sweep(tmp.resolve("sweep"), false);
    SweepPlan plan = SweepPlan.read(dir);

    List<Path> written = SweepCharts.write(dir, plan, results(dir, plan));

    assertThat(written).containsExactly(dir.resolve("report/index.html"));
    String html = Files.readString(written.get(0));
    assertThat(html).contains("No trial has finished yet").doesNotContain("class=\"best\"");
    for (SweepPlan.Trial t : plan.trials()) {
      assertThat(html).contains("<td>" + t.name());
    }
  }

  @Test
  void sweepWithNoTrialResultsAtAllGetsAPage() throws IOException {
    Path dir = sweep(tmp.resolve("sweep"), false);
    SweepPlan plan = SweepPlan.read(dir);

    assertThat(SweepCharts.write(dir, plan, List.of()))
        .containsExactly(dir.resolve("report/index.html"));
    assertThat(Files.readString(dir.resolve("report/index.html")))
        .contains("No trial has finished yet");
  }

  // --- the sweep folder ---------------------------------------------------------------------

  /** Trial {@code i}'s final test accuracy; {@code i} = lr × 4 + activation × 2 + seed. */
  private static double metric(int i) {
    return BY_LR[i / 4] + (i / 2 % 2 == 0 ? 0.02 : 0) + (i % 2) * 0.001;
  }

  private static double mean(double... xs) {
    return java.util.Arrays.stream(xs).average().orElseThrow();
  }

  private static String name(int i) {
    return String.format(Locale.ROOT, "%04d", i);
  }

  /**
   * A 3 × 2 × 2 sweep folder in {@code dir}: with {@code trained}, every trial but {@link #FAILED}
   * and {@link #PENDING} done after three epochs; without, only trial 0 has a status, failed.
   */
  private static Path sweep(Path dir, boolean trained) throws IOException {
    List<Axis> axes = List.of(LR, ACTIVATION, SEED);
    List<SweepPlan.Trial> trials = new ArrayList<>();
    int i = 0;
    for (String lr : LR.values()) {
      for (String act : ACTIVATION.values()) {
        for (String seed : SEED.values()) {
          Map<String, String> o = new LinkedHashMap<>();
          o.put(LR.path(), lr);
          o.put(ACTIVATION.path(), act);
          o.put(SEED.path(), seed);
          trials.add(new SweepPlan.Trial(i++, o));
        }
      }
    }
    SweepPlan plan =
        new SweepPlan("training:\n  epochs: 3\n", "base.yaml", axes, trials, "test_accuracy", true);
    Files.createDirectories(dir);
    plan.write(dir);
    for (SweepPlan.Trial t : trials) {
      if (!trained) {
        if (t.index() == 0) {
          Files.createDirectories(TrialResult.runDir(dir, t));
          TrialResult.record(dir, t, 1, "no data", 0.2);
        }
        continue;
      }
      if (t.index() == PENDING) {
        continue;
      }
      Path run = Files.createDirectories(TrialResult.runDir(dir, t));
      int epochs = t.index() == FAILED ? 1 : 3;
      StringBuilder lines = new StringBuilder();
      for (int e = 1; e <= epochs; e++) {
        double acc = t.index() == FAILED ? 0.99 : metric(t.index()) - 0.05 * (3 - e);
        lines.append(
            String.format(
                Locale.ROOT,
                "{\"kind\":\"epoch\",\"epoch\":%d,\"test_accuracy\":%s,\"test_loss\":%s}%n",
                e,
                acc,
                1 - acc));
      }
      Files.writeString(run.resolve("metrics.jsonl"), lines);
      if (t.index() == FAILED) {
        TrialResult.record(dir, t, 1, "out of memory <boom>", 1.5);
      } else {
        TrialResult.record(dir, t, 0, null, 2.5);
      }
    }
    return dir;
  }

  /** The trials best first, failed and unfinished last, as {@code mlp sweep} sorts them. */
  private static List<TrialResult> results(Path dir, SweepPlan plan) {
    List<TrialResult> rs = new ArrayList<>();
    for (SweepPlan.Trial t : plan.trials()) {
      rs.add(TrialResult.read(dir, plan, t));
    }
    rs.sort(
        Comparator.comparing((TrialResult r) -> Double.isNaN(r.metric()))
            .thenComparingDouble(r -> plan.maximize() ? -r.metric() : r.metric())
            .thenComparingInt(r -> r.trial().index()));
    return rs;
  }
}
