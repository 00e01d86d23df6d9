package dev.mlp.cli.report;

import dev.mlp.core.train.EpochMetrics;
import dev.mlp.run.folder.RunFolder;
import dev.mlp.run.folder.Summary;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's plots, drawn with XChart and encoded as PNG by {@link Png}. */
final class Charts {
  /** Size of {@code loss.png} and {@code accuracy.png}. */
  private static final int CURVE_WIDTH = 900;

  private static final int CURVE_HEIGHT = 500;

  /**
   * The confusion matrix takes about {@code MATRIX_SIDE} pixels a side, its cells {@code CELL}
   * pixels at most (ten classes fill it) and {@code MIN_CELL} at least; the margins leave room for
   * the title, the class labels and the axis titles.
   */
  private static final int MATRIX_SIDE = 560;

  private static final int CELL = 56;

  /** Height of the predicted-vs-actual plot (its width a little more, for the axis labels). */
  private static final int SCATTER_SIDE = 560;

  private static final int MIN_CELL = 8;
  private static final int CONFUSION_MARGIN_X = 140;
  private static final int CONFUSION_MARGIN_Y = 120;

  /** Cells narrower than this get no count and upright predicted-class labels. */
  private static final int CELL_FOR_COUNTS = 28;

  /** What a curve measures, in the order {@link #fields} lists them. */
  static final List<String> SPLITS = List.of("train", "test", "validation");

  /** The confusion colour scale: white for none, a mid blue that black counts stay legible on. */
  private static final Color[] CONFUSION_SCALE = {
    Color.WHITE, new Color(158, 202, 225), new Color(49, 130, 189)
  };

  /** The categorical palette of matplotlib and d3 ("tab10"): ten colours told apart easily. */
  private static final Color[] PALETTE = {
    new Color(31, 119, 180),
    new Color(255, 127, 14),
    new Color(44, 160, 44),
    new Color(214, 39, 40),
    new Color(148, 103, 189),
    new Color(140, 86, 75),
    new Color(227, 119, 194),
    new Color(127, 127, 127),
    new Color(188, 189, 34),
    new Color(23, 190, 207)
  };

  /** A per-epoch plot: one series per run and split that has the measurement. */
  enum Curve {
    LOSS("loss.png", EpochMetrics.LOSS, "loss", 1),
    ACCURACY("accuracy.png", EpochMetrics.ACCURACY, "accuracy (%)", 100),
    /** A regressor's root mean squared error, in the target's own unit. */
    RMSE("rmse.png", "rmse", "RMSE", 1);

    final String file;

    /** The measure plotted, by its name in each split's figures. */
    final String measure;

    final String axis;
    final double scale;

    Curve(String file, String measure, String axis, double scale) {
      this.file = file;
      this.measure = measure;
      this.axis = axis;
      this.scale = scale;
    }
  }

  /** The figures of split {@code split} (an index into {@link #SPLITS}) of an epoch. */
  private static Map<String, Double> split(EpochMetrics e, int split) {
    return switch (split) {
      case 0 -> e.train();
      case 1 -> e.test();
      default -> e.validation();
    };
  }

  private Charts() {}

  /**
   * The colour of run {@code run}'s series for split {@code split} (an index into {@link #SPLITS}),
   * the same in every plot. Three colours a run: with more than three runs they repeat, and the
   * legend's run names tell the runs apart.
   */
  static Color seriesColor(int run, int split) {
    return PALETTE[(run * SPLITS.size() + split) % PALETTE.length];
  }

  /** Colour {@code i} of the categorical palette, repeating after ten. */
  static Color paletteColor(int i) {
    return PALETTE[Math.floorMod(i, PALETTE.length)];
  }

  /**
   * {@code curve} per epoch for every run, or empty when no run has logged an epoch with that
   * measurement. With one run the series are named by split and the title by the run; with several
   * every series name starts with its run's name.
   */
  static Optional<XYChart> curve(Curve curve, List<RunFolder> runs, List<String> names) {
    boolean several = runs.size() > 1;
    XYChart chart =
        new XYChartBuilder()
            .width(CURVE_WIDTH)
            .height(CURVE_HEIGHT)
            .title((several ? "" : names.get(0) + ": ") + curve.measure + " per epoch")
            .xAxisTitle("epoch")
            .yAxisTitle(curve.axis)
            .build();
    style(chart.getStyler());
    chart.getStyler().setYAxisDecimalPattern("0.0##"); // 0.05, not .05
    chart.getStyler().setLegendPosition(LegendPosition.OutsideE).setMarkerSize(6);
    chart.setCustomXAxisTickLabelsFormatter(x -> x == Math.rint(x) ? "" + x.longValue() : "");
    for (int r = 0; r < runs.size(); r++) {
      for (int s = 0; s < SPLITS.size(); s++) {
        List<Integer> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (EpochMetrics e : runs.get(r).epochs()) {
          Double v = split(e, s).get(curve.measure);
          if (v != null) {
            xs.add(e.epoch());
            ys.add(v * curve.scale);
          }
        }
        if (xs.isEmpty()) {
          continue;
        }
        String name = (several ? names.get(r) + ": " : "") + SPLITS.get(s) + " " + curve.measure;
        XYSeries series = chart.addSeries(name, xs, ys);
        Color color = seriesColor(r, s);
        series.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(color).setLineColor(color);
      }
    }
    return chart.getSeriesMap().isEmpty() ? Optional.empty() : Optional.of(chart);
  }

  /**
   * The confusion matrix as a heat map: true class down the y axis (the first class on top),
   * predicted class along the x axis, each cell's count written in it and its colour from white
   * (none) to blue (the largest count). Cells shrink with many classes; then the counts are left
   * out and the predicted classes' labels stand upright, so that they still fit.
   */
  static byte[] confusion(Summary summary, String title) throws IOException {
    List<String> classes = summary.classes();
    int n = classes.size();
    int cell = Math.max(MIN_CELL, Math.min(CELL, MATRIX_SIDE / Math.max(1, n)));
    HeatMapChart chart =
        new HeatMapChartBuilder()
            .width(n * cell + CONFUSION_MARGIN_X)
            .height(n * cell + CONFUSION_MARGIN_Y)
            .title(title)
            .xAxisTitle("predicted class")
            .yAxisTitle("true class")
            .build();
    style(chart.getStyler());
    long max = 0;
    List<Number[]> cells = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        long count = summary.confusion()[i][j];
        max = Math.max(max, count);
        cells.add(new Number[] {j, n - 1 - i, count}); // the y axis counts from the bottom
      }
    }
    boolean roomy = cell >= CELL_FOR_COUNTS;
    chart.getStyler().setXAxisLabelRotation(roomy ? 0 : 90);
    chart
        .getStyler()
        .setRangeColors(CONFUSION_SCALE)
        .setMin(0)
        .setMax(Math.max(1, max))
        .setShowValue(roomy)
        .setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.min(16, cell * 2 / 7)))
        .setValueFontColor(Color.BLACK)
        .setHeatMapValueDecimalPattern("#")
        .setPlotGridLinesVisible(false)
        .setLegendVisible(false); // the counts are in the cells
    chart.addSeries("confusion", classes, reversed(classes), cells);
    return png(chart);
  }

  /**
   * A regressor's test targets across, its predictions up, one dot each (the sample summary.json
   * keeps), and the diagonal where a prediction equals its target: the closer the dots lie to it,
   * the better. Empty when the summary holds no points.
   */
  static Optional<byte[]> predictedVsActual(Summary summary, String title) throws IOException {
    float[] actual = summary.regression().actual();
    float[] predicted = summary.regression().predicted();
    if (actual.length == 0) {
      return Optional.empty();
    }
    XYChart chart =
        new XYChartBuilder()
            .width(SCATTER_SIDE + 80)
            .height(SCATTER_SIDE)
            .title(title)
            .xAxisTitle("actual value")
            .yAxisTitle("predicted value")
            .build();
    style(chart.getStyler());
    chart.getStyler().setLegendPosition(LegendPosition.InsideNW).setMarkerSize(4);
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    double[] x = new double[actual.length];
    double[] y = new double[actual.length];
    for (int i = 0; i < actual.length; i++) {
      x[i] = actual[i];
      y[i] = predicted[i];
      lo = Math.min(lo, Math.min(x[i], y[i]));
      hi = Math.max(hi, Math.max(x[i], y[i]));
    }
    XYSeries dots =
        chart.addSeries(String.format(Locale.ROOT, "test samples (%,d shown)", x.length), x, y);
    dots.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter)
        .setMarker(SeriesMarkers.CIRCLE)
        .setMarkerColor(new Color(31, 119, 180, 140));
    XYSeries diagonal =
        chart.addSeries("predicted = actual", new double[] {lo, hi}, new double[] {lo, hi});
    diagonal
        .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line)
        .setMarker(SeriesMarkers.NONE)
        .setLineColor(Color.GRAY);
    return Optional.of(png(chart));
  }

  /** The look every plot of the reports shares: white, no box around the title. */
  static void style(Styler styler) {
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setLegendBorderColor(Color.LIGHT_GRAY);
    styler.setChartTitleBoxVisible(false);
  }

  private static List<String> reversed(List<String> list) {
    List<String> r = new ArrayList<>(list);
    Collections.reverse(r);
    return r;
  }

  /** {@code chart} drawn into a PNG by {@link Png} (ImageIO's writer, cold, was slower). */
  static byte[] png(Chart<?, ?> chart) throws IOException {
    BufferedImage image =
        new BufferedImage(chart.getWidth(), chart.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      chart.paint(g, chart.getWidth(), chart.getHeight());
    } finally {
      g.dispose();
    }
    return Png.encode(image);
  }
}
