package dev.mlp.cli.report;

import dev.mlp.run.folder.RunFolder;
import dev.mlp.run.folder.Summary;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** {@code report.html}: one self-contained page, its images embedded as data URIs. */
final class ReportPage {
  /** A PNG of the report: its file name next to the page, and what it shows. */
  record Image(String file, String alt, byte[] png) {}

  /**
   * One run on the page.
   *
   * @param confusion its confusion matrix, or for a regressor its predicted-vs-actual plot; null
   *     when the run has no summary.json (or a regressor's has no points)
   */
  record Run(RunFolder folder, String name, Image confusion) {}

  private static final String CSS =
      """
      body{font-family:system-ui,sans-serif;margin:2em auto;max-width:960px;color:#222;padding:0 1em}
      h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
      table{border-collapse:collapse;margin:.5em 0}
      th,td{border:1px solid #ccc;padding:.25em .6em}th{background:#f3f3f3}
      td.n{text-align:right;font-variant-numeric:tabular-nums}tr.macro td{font-weight:bold}
      img{max-width:100%;height:auto;display:block;margin:.5em 0}
      pre{background:#f6f8fa;border:1px solid #ddd;padding:.8em;overflow:auto;font-size:.9em}
      .note{background:#fff8e1;border-left:4px solid #f0b400;padding:.4em .8em}
      """;

  private ReportPage() {}

  /** The page for {@code runs}; {@code curves} are the per-epoch plots, possibly none. */
  static String html(List<Run> runs, List<Image> curves) {
    String names = String.join(", ", runs.stream().map(Run::name).toList());
    StringBuilder h = open("mlp report: " + names, CSS);
    h.append("<h1>Training report: ")
        .append(escape(runs.size() == 1 ? names : runs.size() + " runs compared"))
        .append("</h1>\n");

    h.append("<h2>Final numbers</h2>\n<p>The kept weights (see <code>summary.json</code>)")
        .append(" measured on the test set.</p>\n<table>\n<tr><th>run</th><th>config</th>")
        .append("<th>epochs logged</th><th>kept epoch</th><th>test accuracy (or MAE)</th>")
        .append("<th>test loss</th><th>test samples</th><th>status</th></tr>\n");
    for (Run r : runs) {
      Summary s = r.folder().summary();
      h.append("<tr><td>").append(escape(r.name())).append("</td>");
      if (s == null) {
        h.append(cell("—")).append(num(r.folder().epochs().size()));
        h.append(cell("—").repeat(4)).append(cell("no summary.json")).append("</tr>\n");
      } else {
        h.append(cell(s.name()))
            .append(num(r.folder().epochs().size()))
            .append(num(s.keptEpoch()))
            .append(
                s.isRegression()
                    ? num("MAE " + fixed(s.regression().mae(), 4))
                    : num(percent(s.testAccuracy())))
            .append(num(fixed(s.testLoss(), 4)))
            .append(num(s.testCount()))
            .append(cell(s.stoppedEarly() ? "stopped early" : "finished"))
            .append("</tr>\n");
      }
    }
    h.append("</table>\n");

    h.append("<h2>Training curves</h2>\n");
    if (curves.isEmpty()) {
      h.append("<p class=\"note\">No epoch has finished yet: nothing to plot.</p>\n");
    }
    for (Image i : curves) {
      image(h, i);
    }

    for (Run r : runs) {
      run(h, r);
    }
    return h.append("</body>\n</html>\n").toString();
  }

  private static void run(StringBuilder h, Run r) {
    Summary s = r.folder().summary();
    h.append("<h2>Run ").append(escape(r.name())).append("</h2>\n");
    if (s == null) {
      h.append("<p class=\"note\">No <code>summary.json</code>: the run is still training or was")
          .append(" interrupted, so there are no final test numbers and no confusion matrix yet.")
          .append(" Its curves show the ")
          .append(r.folder().epochs().size())
          .append(" epoch(s) logged so far.</p>\n");
    } else if (s.isRegression()) {
      var m = s.regression();
      h.append("<h3>Test set</h3>\n<table>\n<tr><th>loss</th><th>MAE</th><th>RMSE</th>")
          .append("<th>R²</th><th>samples</th></tr>\n<tr>")
          .append(num(fixed(m.loss(), 4)))
          .append(num(fixed(m.mae(), 4)))
          .append(num(fixed(m.rmse(), 4)))
          .append(num(Double.isFinite(m.r2()) ? fixed(m.r2(), 4) : "—"))
          .append(num(m.count()))
          .append("</tr>\n</table>\n");
      if (r.confusion() != null) {
        h.append("<h3>Predicted against actual</h3>\n<p>Each dot a test sample (at most ")
            .append(dev.mlp.core.train.RegressionMetrics.MAX_POINTS)
            .append(", spread over the test set); on the grey line a prediction equals its")
            .append(" target.</p>\n");
        image(h, r.confusion());
      }
    } else {
      h.append("<h3>Confusion matrix</h3>\n");
      image(h, r.confusion());
      h.append("<h3>Per class</h3>\n<table>\n<tr><th>class</th><th>precision</th>")
          .append("<th>recall</th><th>F1</th><th>support</th></tr>\n");
      long support = 0;
      for (Summary.ClassScores c : s.perClass()) {
        scoresRow(h, "", c.name(), c.scores(), c.support());
        support += c.support();
      }
      scoresRow(h, " class=\"macro\"", "macro average", s.macro(), support);
      h.append("</table>\n");
    }
    h.append("<h3>Config</h3>\n");
    if (r.folder().configText() == null) {
      h.append("<p class=\"note\">No <code>config.yaml</code> in this run folder.</p>\n");
    } else {
      h.append("<pre>").append(escape(r.folder().configText())).append("</pre>\n");
    }
  }

  private static void scoresRow(
      StringBuilder h, String attributes, String name, Summary.Scores s, long support) {
    h.append("<tr")
        .append(attributes)
        .append(">")
        .append(cell(name))
        .append(num(fixed(s.precision(), 3)))
        .append(num(fixed(s.recall(), 3)))
        .append(num(fixed(s.f1(), 3)))
        .append(num(support))
        .append("</tr>\n");
  }

  private static void image(StringBuilder h, Image i) {
    h.append("<img src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(i.png()))
        .append("\" alt=\"")
        .append(escape(i.alt()))
        .append("\" title=\"")
        .append(escape(i.file()))
        .append("\">\n");
  }

  /** A fraction as a percentage with two decimals: 0.914 is "91.40%". */
  private static String percent(double fraction) {
    return fixed(fraction * 100, 2) + "%";
  }

  private static String fixed(double x, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", x);
  }

  private static String cell(String text) {
    return "<td>" + escape(text) + "</td>";
  }

  private static String num(long count) {
    return num(String.format(Locale.ROOT, "%,d", count));
  }

  private static String num(String text) {
    return "<td class=\"n\">" + escape(text) + "</td>";
  }

  /** A self-contained page's start, up to and with {@code <body>}: its title and inline style. */
  static StringBuilder open(String title, String css) {
    return new StringBuilder()
        .append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(escape(title))
        .append("</title>\n<style>\n")
        .append(css)
        .append("</style>\n</head>\n<body>\n");
  }

  /** {@code text} safe inside HTML elements and quoted attributes. */
  private static String escape(String text) {
    return SweepCharts.escape(text);
  }
}
