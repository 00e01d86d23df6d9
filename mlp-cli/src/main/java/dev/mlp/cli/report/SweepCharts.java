package dev.mlp.cli.report;

import dev.mlp.run.folder.AtomicFile;
import dev.mlp.run.sweep.Axis;
import dev.mlp.run.sweep.SweepPlan;
import dev.mlp.run.sweep.TrialResult;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The visual report of a sweep folder, written into {@code DIR/report/}:
 *
 * <ul>
 *   <li>{@code metric-vs-<axis>.png} for every axis (its path made file-safe: {@code
 *       model.layers[0].units} gives {@code metric-vs-model.layers_0_.units.png}): the sweep's
 *       metric of every finished trial against the axis's value, and a line through the mean at
 *       each value. A numeric axis is drawn to scale (logarithmic when its values are positive and
 *       span more than a factor of {@value #LOG_SPAN}), any other as categories in the sweep's
 *       order;
 *   <li>{@code curves.png}: the metric per epoch of the best {@value #CURVES} finished trials;
 *   <li>{@code index.html}: one self-contained page (the images embedded, CSS inline, no script)
 *       with every trial's axis values, state and numbers, the best trial highlighted, and the
 *       plots.
 * </ul>
 *
 * <p>Only finished trials (state {@code done}, with a metric) are plotted; the table lists all. A
 * sweep with no finished trial gets the page alone, saying so. Every file is replaced atomically
 * (see {@link AtomicFile}), the page last. Works without a display: it sets {@code
 * java.awt.headless=true} unless it is set already.
 */
public final class SweepCharts {
  /** The report's folder inside the sweep folder. */
  public static final String DIR = "report";

  /** The page's file name. */
  public static final String HTML = "index.html";

  /** The best trials' curves. */
  static final String CURVES_FILE = "curves.png";

  /** How many trials the curves plot shows. */
  static final int CURVES = 5;

  /** A positive numeric axis spanning more than this factor is drawn logarithmic. */
  static final double LOG_SPAN = 20;

  private static final int WIDTH = 900;
  private static final int HEIGHT = 500;

  /** The curves plot is taller: its legend, one trial a line, is below the plot. */
  private static final int CURVES_HEIGHT = 620;

  /** A category's tick label is cut to this many characters. */
  private static final int AXIS_LABEL_CHARS = 24;

  /** About how wide a tick label's character is, in pixels. */
  private static final double LABEL_PIXELS = 8;

  /** A legend entry's overrides are cut to this many characters. */
  private static final int LABEL_CHARS = 70;

  /** A number as YAML reads one ({@code 0.1}, {@code 1e-3}, {@code 64}); not NaN or infinity. */
  private static final Pattern NUMBER =
      Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

  private static final String CSS =
      """
      body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
      h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
      table{border-collapse:collapse;margin:.5em 0}
      th,td{border:1px solid #ccc;padding:.25em .6em}th{background:#f3f3f3}
      td.n{text-align:right;font-variant-numeric:tabular-nums}
      tr.best td{background:#e6f4ea;font-weight:bold}
      td.err{color:#a00;font-size:.9em}
      img{max-width:100%;height:auto;display:block;margin:.5em 0}
      .note{background:#fff8e1;border-left:4px solid #f0b400;padding:.4em .8em}
      """;

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private SweepCharts() {}

  /** One PNG of the report: its file name in the report folder, what it shows, its bytes. */
  record Image(String file, String alt, byte[] png) {}

  /**
   * The points of one metric-against-axis plot.
   *
   * @param numeric whether the axis's values are all numbers, drawn to scale; otherwise {@code x}
   *     is the value's index in the axis
   * @param log whether the x axis is logarithmic
   * @param trials the plotted trials' names, in the order of {@code x} and {@code y}
   * @param meanX the axis values with at least one plotted trial, in the axis's order
   * @param meanY the mean metric at each of {@code meanX}
   */
  record AxisPoints(
      Axis axis,
      boolean numeric,
      boolean log,
      List<String> trials,
      double[] x,
      double[] y,
      double[] meanX,
      double[] meanY) {}

  /**
   * Writes the report of the sweep in {@code sweepDir} into {@code sweepDir/report/} (created if
   * needed).
   *
   * @param results the trials' results, best first (the table keeps this order)
   * @return the files written, {@code index.html} last
   */
  public static List<Path> write(Path sweepDir, SweepPlan plan, List<TrialResult> results)
      throws IOException {
    List<Image> images = images(sweepDir, plan, results);
    String html = html(sweepDir, plan, results, images);
    Path out = sweepDir.resolve(DIR);
    Files.createDirectories(out);
    List<Path> written = new ArrayList<>();
    for (Image i : images) {
      Path file = out.resolve(i.file());
      AtomicFile.write(file, i.png());
      written.add(file);
    }
    Path page = out.resolve(HTML);
    AtomicFile.write(page, html.getBytes(StandardCharsets.UTF_8));
    written.add(page);
    return written;
  }

  /** The plots: one per axis, then the curves; none when no trial has finished. */
  static List<Image> images(Path sweepDir, SweepPlan plan, List<TrialResult> results)
      throws IOException {
    List<Image> images = new ArrayList<>();
    if (finished(plan, results).isEmpty()) {
      return images;
    }
    Set<String> files = new HashSet<>();
    for (Axis a : plan.axes()) {
      AxisPoints p = points(a, results);
      if (p.x().length == 0) {
        continue; // no finished trial has this axis among its overrides
      }
      String file = "metric-vs-" + fileSafe(a.path());
      String name = file;
      for (int k = 2; !files.add(name); k++) {
        name = file + "-" + k; // two paths that are file-safe alike
      }
      images.add(
          new Image(
              name + ".png",
              plan.metric() + " against " + a.path(),
              Charts.png(axisChart(plan, p))));
    }
    XYChart curves = curvesChart(sweepDir, plan, results);
    if (curves != null) {
      images.add(
          new Image(
              CURVES_FILE, plan.metric() + " per epoch of the best trials", Charts.png(curves)));
    }
    return images;
  }

  /** Whether a trial is plotted: it ended well and has the metric. */
  static boolean plotted(TrialResult r) {
    return "done".equals(r.state()) && Double.isFinite(r.metric());
  }

  /** The plotted trials, best first (ties in {@code results}' order). */
  static List<TrialResult> finished(SweepPlan plan, List<TrialResult> results) {
    Comparator<TrialResult> better =
        Comparator.comparingDouble(r -> plan.maximize() ? -r.metric() : r.metric());
    return results.stream().filter(SweepCharts::plotted).sorted(better).toList();
  }

  /** Whether every value of {@code axis} is a number. */
  static boolean numeric(Axis axis) {
    return axis.values().stream().allMatch(v -> NUMBER.matcher(v.strip()).matches());
  }

  /**
   * Whether {@code axis} is drawn on a logarithmic scale: numeric, every value positive, the
   * largest more than {@value #LOG_SPAN} times the smallest (learning rates 0.001 to 0.1, not
   * widths 32 to 64).
   */
  static boolean logScale(Axis axis) {
    if (!numeric(axis)) {
      return false;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (String v : axis.values()) {
      double x = Double.parseDouble(v.strip());
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    return min > 0 && max / min > LOG_SPAN;
  }

  /** The finished trials' metric against {@code axis}'s value, and the mean at each value. */
  static AxisPoints points(Axis axis, List<TrialResult> results) {
    boolean numeric = numeric(axis);
    List<String> values = axis.values();
    List<String> names = new ArrayList<>();
    List<double[]> xy = new ArrayList<>();
    Map<Integer, List<Double>> byValue = new TreeMap<>(); // by the value's index in the axis
    for (TrialResult r : results) {
      String v = r.trial().overrides().get(axis.path());
      int i = v == null ? -1 : values.indexOf(v);
      if (!plotted(r) || i < 0) {
        continue;
      }
      double x = numeric ? Double.parseDouble(v.strip()) : i;
      names.add(r.trial().name());
      xy.add(new double[] {x, r.metric()});
      byValue.computeIfAbsent(i, k -> new ArrayList<>()).add(r.metric());
    }
    List<double[]> means = new ArrayList<>();
    byValue.forEach(
        (i, ys) ->
            means.add(
                new double[] {
                  numeric ? Double.parseDouble(values.get(i).strip()) : i,
                  ys.stream().mapToDouble(Double::doubleValue).average().orElseThrow()
                }));
    // a line from left to right, whatever order the sweep lists the values in
    means.sort(Comparator.comparingDouble(m -> m[0]));
    return new AxisPoints(
        axis,
        numeric,
        logScale(axis),
        List.copyOf(names),
        xy.stream().mapToDouble(p -> p[0]).toArray(),
        xy.stream().mapToDouble(p -> p[1]).toArray(),
        means.stream().mapToDouble(m -> m[0]).toArray(),
        means.stream().mapToDouble(m -> m[1]).toArray());
  }

  /** The axis's values as tick labels: short, and told apart (XChart drops repeated labels). */
  private static List<String> tickLabels(List<String> values) {
    List<String> labels = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    for (String v : values) {
      String label = shorten(v, AXIS_LABEL_CHARS);
      for (int k = 2; !taken.add(label); k++) {
        label = shorten(v, AXIS_LABEL_CHARS) + " (" + k + ")";
      }
      labels.add(label);
    }
    return labels;
  }

  /** Whether {@code sorted} (ascending, distinct) steps evenly; one value does. */
  static boolean evenlySpaced(double[] sorted) {
    if (sorted.length < 3) {
      return true;
    }
    double step = (sorted[sorted.length - 1] - sorted[0]) / (sorted.length - 1);
    for (int i = 1; i < sorted.length; i++) {
      if (Math.abs(sorted[i] - sorted[i - 1] - step) > step * 1e-6) {
        return false;
      }
    }
    return true;
  }

  /** "test_accuracy (higher is better)". */
  static String metricTitle(SweepPlan plan) {
    return plan.metric() + (plan.maximize() ? " (higher is better)" : " (lower is better)");
  }

  private static XYChart axisChart(SweepPlan plan, AxisPoints p) {
    List<String> values = p.axis().values();
    // where each of the axis's values lies along x: its number, or its index for a category
    double[] at = new double[values.size()];
    for (int i = 0; i < at.length; i++) {
      at[i] = p.numeric() ? Double.parseDouble(values.get(i).strip()) : i;
    }
    double[] sorted = java.util.Arrays.stream(at).distinct().sorted().toArray();
    double lo = sorted[0];
    double hi = sorted[sorted.length - 1];
    boolean named = !p.log() && evenlySpaced(sorted); // a tick at each value, with its name
    List<String> labels = tickLabels(values);
    // XChart leaves out labels that would overlap (fine for numbers, not for categories): slant
    // a category's, or stand them upright, to fit
    double room = (WIDTH - 280.0) / labels.size(); // the plot's width a value, in pixels
    double wide = labels.stream().mapToInt(String::length).max().orElse(0) * LABEL_PIXELS;
    int rotation = p.numeric() || wide < room ? 0 : wide * 0.71 < room ? 45 : 90;
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT + (int) (rotation == 90 ? wide : rotation == 45 ? wide * 0.71 : 0))
            .title(plan.metric() + " against " + p.axis().path())
            .xAxisTitle(p.axis().path() + (p.log() ? " (log scale)" : ""))
            .yAxisTitle(metricTitle(plan))
            .build();
    Charts.style(chart.getStyler());
    chart.getStyler().setLegendPosition(LegendPosition.OutsideE).setMarkerSize(8);
    chart.getStyler().setYAxisDecimalPattern("0.0###");
    if (p.log()) {
      chart.getStyler().setXAxisLogarithmic(true).setXAxisMin(lo / 1.5).setXAxisMax(hi * 1.5);
    } else if (named) {
      // XChart puts the ticks at exactly the data's x values when they step evenly from the axis's
      // minimum to its maximum, and the labels must differ; so no margin of our own (the plot
      // keeps one), and each value named as the sweep spells it
      chart.getStyler().setXAxisLabelRotation(rotation);
      chart.getStyler().setPlotContentSize(0.86);
      chart.setCustomXAxisTickLabelsFormatter(
          x -> {
            for (int i = 0; i < at.length; i++) {
              if (Math.abs(x - at[i]) <= Math.max(1e-12, Math.abs(at[i]) * 1e-9)) {
                return labels.get(i);
              }
            }
            return number(x);
          });
    } else {
      double pad = (hi - lo) * 0.05;
      chart.getStyler().setXAxisMin(lo - pad).setXAxisMax(hi + pad);
      chart.setCustomXAxisTickLabelsFormatter(SweepCharts::number);
    }
    // every value on the x axis, even one whose trials all failed: an unseen series at each
    double[] level = new double[at.length];
    java.util.Arrays.fill(level, p.y()[0]);
    XYSeries anchors = chart.addSeries(" ", at, level);
    anchors
        .setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter)
        .setMarker(SeriesMarkers.NONE)
        .setShowInLegend(false);
    Color trials = Charts.paletteColor(0);
    XYSeries dots =
        chart.addSeries(String.format(Locale.ROOT, "trials (%d)", p.x().length), p.x(), p.y());
    dots.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter)
        .setMarker(SeriesMarkers.CIRCLE)
        .setMarkerColor(new Color(trials.getRed(), trials.getGreen(), trials.getBlue(), 170));
    Color mean = Charts.paletteColor(1);
    XYSeries line = chart.addSeries("mean per value", p.meanX(), p.meanY());
    line.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line)
        .setMarker(SeriesMarkers.DIAMOND)
        .setMarkerColor(mean)
        .setLineColor(mean);
    return chart;
  }

  /**
   * The metric per epoch of the best {@value #CURVES} finished trials, one line each; null when
   * none has logged an epoch with the metric.
   */
  static XYChart curvesChart(Path sweepDir, SweepPlan plan, List<TrialResult> results) {
    List<TrialResult> best = finished(plan, results);
    best = best.subList(0, Math.min(CURVES, best.size()));
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(CURVES_HEIGHT)
            .title(
                plan.metric()
                    + " per epoch, the best "
                    + (best.size() == 1 ? "trial" : best.size() + " trials"))
            .xAxisTitle("epoch")
            .yAxisTitle(metricTitle(plan))
            .build();
    Charts.style(chart.getStyler());
    chart
        .getStyler()
        .setLegendPosition(LegendPosition.OutsideS)
        .setLegendLayout(LegendLayout.Vertical)
        .setMarkerSize(6);
    chart.getStyler().setYAxisDecimalPattern("0.0###");
    chart.setCustomXAxisTickLabelsFormatter(x -> x == Math.rint(x) ? "" + x.longValue() : "");
    Set<String> varying = new HashSet<>();
    for (Axis a : plan.axes()) {
      if (a.values().size() > 1) {
        varying.add(a.path());
      }
    }
    for (int k = 0; k < best.size(); k++) {
      TrialResult r = best.get(k);
      double[] curve = TrialResult.curve(sweepDir, r.trial(), plan.metric());
      List<Integer> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (int e = 0; e < curve.length; e++) {
        if (Double.isFinite(curve[e])) {
          xs.add(e + 1);
          ys.add(curve[e]);
        }
      }
      if (xs.isEmpty()) {
        continue;
      }
      XYSeries s = chart.addSeries(legend(r, varying), xs, ys);
      Color c = Charts.paletteColor(k);
      s.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(c).setLineColor(c);
    }
    return chart.getSeriesMap().isEmpty() ? null : chart;
  }

  /**
   * {@code 0003 optimizer.lr=0.1 model.layers[0].units=64}: the trial's name and the overrides of
   * the axes that vary (all of them if none does), cut short when long.
   */
  static String legend(TrialResult r, Set<String> varying) {
    List<String> parts = new ArrayList<>();
    r.trial()
        .overrides()
        .forEach(
            (k, v) -> {
              if (varying.contains(k)) {
                parts.add(k + "=" + v);
              }
            });
    String label = parts.isEmpty() ? r.trial().label() : String.join(" ", parts);
    return r.trial().name() + ": " + shorten(label, LABEL_CHARS);
  }

  private static String shorten(String text, int chars) {
    return text.length() <= chars ? text : text.substring(0, chars - 1) + "…";
  }

  /** A tick label: 0.001, 0.1, 64, 1e-05; never 1.0E-4. */
  private static String number(double x) {
    if (x == 0) {
      return "0";
    }
    double a = Math.abs(x);
    if (a >= 1e-4 && a < 1e7) {
      return new java.math.BigDecimal(String.format(Locale.ROOT, "%.6g", x))
          .stripTrailingZeros()
          .toPlainString();
    }
    return String.format(Locale.ROOT, "%.3g", x).replaceAll("\\.?0+e", "e");
  }

  /** {@code path} with every character but letters, digits, {@code . _ -} made {@code _}. */
  static String fileSafe(String path) {
    String s = path.replaceAll("[^A-Za-z0-9._-]", "_");
    return s.length() > 100 ? s.substring(0, 100) : s;
  }

  /** The page: title, the trials' table, the plots. */
  static String html(Path sweepDir, SweepPlan plan, List<TrialResult> results, List<Image> images) {
    List<TrialResult> finished = finished(plan, results);
    TrialResult best = finished.isEmpty() ? null : finished.get(0);
    String title = sweepDir.toAbsolutePath().normalize() + ": " + metricTitle(plan);
    StringBuilder h = ReportPage.open("mlp sweep report: " + title, CSS);
    h.append("<h1>Sweep ")
        .append(escape(sweepDir.toAbsolutePath().normalize().toString()))
        .append("</h1>\n<p>")
        .append(results.size())
        .append(" trial(s), sorted by ")
        .append(escape(metricTitle(plan)))
        .append(". ");
    Map<String, Integer> states = new LinkedHashMap<>();
    results.forEach(r -> states.merge(r.state(), 1, Integer::sum));
    List<String> counts = new ArrayList<>();
    states.forEach((s, n) -> counts.add(n + " " + s));
    h.append(escape(String.join(", ", counts))).append(".</p>\n");
    if (best == null) {
      h.append("<p class=\"note\">No trial has finished yet: nothing to plot.</p>\n");
    } else {
      h.append("<p>Best: trial <b>")
          .append(escape(best.trial().name()))
          .append("</b> (")
          .append(escape(best.trial().label()))
          .append("): ")
          .append(escape(plan.metric()))
          .append(" ")
          .append(escape(best.metricText()))
          .append(".</p>\n");
    }

    h.append("<h2>Trials</h2>\n<table>\n<tr><th>trial</th>");
    for (Axis a : plan.axes()) {
      h.append("<th>").append(escape(a.path())).append("</th>");
    }
    h.append("<th>state</th><th>")
        .append(escape(plan.metric()))
        .append("</th><th>best ")
        .append(escape(plan.metric()))
        .append("</th><th>epochs</th><th>seconds</th><th>error</th></tr>\n");
    for (TrialResult r : results) {
      boolean isBest = r == best;
      h.append(isBest ? "<tr class=\"best\" title=\"the best trial\">" : "<tr>");
      h.append("<td>").append(escape(r.trial().name())).append(isBest ? " ★" : "").append("</td>");
      for (Axis a : plan.axes()) {
        String v = r.trial().overrides().get(a.path());
        h.append("<td>").append(escape(v == null ? "—" : v)).append("</td>");
      }
      h.append("<td>")
          .append(escape(r.state()))
          .append("</td>")
          .append(num(r.metricText()))
          .append(num(TrialResult.text(r.best())))
          .append(num(String.valueOf(r.epochs())))
          .append(
              num(
                  Double.isNaN(r.seconds())
                      ? "—"
                      : String.format(Locale.ROOT, "%.1f", r.seconds())))
          .append("<td class=\"err\">")
          .append(escape(r.error() == null ? "" : r.error()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");

    if (!images.isEmpty()) {
      h.append("<h2>Plots</h2>\n<p>Each dot a finished trial; the line joins the mean at each")
          .append(" value. Failed, unfinished and pending trials are not plotted.</p>\n");
    }
    for (Image i : images) {
      h.append("<h3>")
          .append(escape(i.alt()))
          .append("</h3>\n<img src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(i.png()))
          .append("\" alt=\"")
          .append(escape(i.alt()))
          .append("\" title=\"")
          .append(escape(i.file()))
          .append("\">\n");
    }
    return h.append("</body>\n</html>\n").toString();
  }

  private static String num(String text) {
    return "<td class=\"n\">" + escape(text) + "</td>";
  }

  /** {@code text} safe inside HTML elements and quoted attributes. */
  static String escape(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
