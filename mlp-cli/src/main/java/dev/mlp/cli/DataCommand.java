package dev.mlp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlp.core.config.DatasetSpec;
import dev.mlp.core.data.DataSplits;
import dev.mlp.core.data.Dataset;
import dev.mlp.core.registry.Registry;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.data.array.NpzSpec;
import dev.mlp.data.files.InputFileException;
import dev.mlp.data.table.CsvDatasetFactory;
import dev.mlp.data.table.CsvSpec;
import dev.mlp.data.table.TableSchema;
import dev.mlp.run.config.ConfigException;
import dev.mlp.run.config.ConfigLoader;
import dev.mlp.run.image.ImageFolderSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mlp data ...}: looking at data before training on it. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = "Look at data before training on it.",
    subcommands = {DataCommand.Inspect.class})
final class DataCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * {@code mlp data inspect FILE|CONFIG}: the schema that training would infer, like a quick {@code
   * pandas.describe()}.
   */
  @Command(
      name = "inspect",
      mixinStandardHelpOptions = true,
      description = {
        "Show what training would make of some data: for a CSV file, each column's role and type,"
            + " its empty cells, a numeric column's range, mean and spread, a categorical one's"
            + " most frequent values; the label's classes and their counts (and the majority"
            + " class, the accuracy to beat) or its range (and the error of predicting its mean);"
            + " the task chosen and why. For a config, the data its data: section describes, read"
            + " as mlp train reads it; for an .npz file or a folder of class folders, its samples,"
            + " inputs and classes.",
      })
  static final class Inspect implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        paramLabel = "FILE|CONFIG",
        description =
            "A CSV file, an .npz file, a folder of class folders of pictures, or a YAML config"
                + " (.yaml or .yml).")
    Path target;

    @Option(
        names = "--label",
        paramLabel = "COLUMN",
        description =
            "For a CSV file: the column to predict, by name or 0-based index (default: the last"
                + " column).")
    String label;

    @Option(
        names = "--delimiter",
        paramLabel = "C",
        description = "For a CSV file: the field separator (default: a comma).")
    String delimiter;

    @Option(
        names = "--task",
        paramLabel = "TASK",
        description = "For a CSV file: classification or regression (default: inferred).")
    String task;

    @Option(names = "--json", description = "The description as one JSON object on stdout.")
    boolean json;

    @Option(names = "--verbose", description = "Print stack traces on errors.")
    boolean verbose;

    @Mixin PluginOptions plugins;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Registry registry = plugins.registry();
      DataLog log = new DataLog(err, !json && DataLog.terminal());
      String file = target.getFileName() == null ? "" : target.getFileName().toString();
      String lower = file.toLowerCase(Locale.ROOT);
      boolean config = lower.endsWith(".yaml") || lower.endsWith(".yml");
      if (config && (label != null || delimiter != null || task != null)) {
        throw new ConfigException(
            "--label, --delimiter and --task go with a CSV file; a config names them under data:");
      }
      DatasetSpec data;
      String type;
      if (config) {
        data = new ConfigLoader(registry).load(target, List.of()).config().data();
        type = registry.nameOf(data);
      } else if (Files.isDirectory(target)) {
        data = new ImageFolderSpec(target.toString(), null, null, null, null, null);
        type = "image_folder";
      } else if (lower.endsWith(".npz")) {
        data = new NpzSpec(target.toString(), null, null, null, null, null, null, null, null);
        type = "npz";
      } else if (lower.endsWith(".npy")) {
        throw new InputFileException(
            target
                + ": an .npy file holds one array; inspect the config that names x and y (data:"
                + " {type: npy, x: X.npy, y: y.npy}), or an .npz holding both");
      } else {
        data = csvSpec();
        type = "csv";
      }
      if (data instanceof CsvSpec csv
          && registry.forSpec(csv).factory().get() instanceof CsvDatasetFactory f) {
        TableSchema schema = f.inspect(csv, log);
        if (json) {
          out.println(tableJson(schema));
        } else {
          out.print(table(schema, label == null && !config));
        }
      } else {
        DataSplits splits = registry.dataset(data, log);
        if (json) {
          out.println(splitsJson(type, splits));
        } else {
          out.print(splits(type, splits));
        }
      }
      out.flush();
      return ExitCode.OK;
    }

    /** A CSV file's spec: the label as given (a number is an index) or the last column. */
    private CsvSpec csvSpec() throws java.io.IOException, ConfigException {
      String sep = delimiter == null ? "," : delimiter.equals("\\t") ? "\t" : delimiter;
      Object column;
      if (label == null) {
        int n = CsvDatasetFactory.columnCount(target, sep.charAt(0));
        column = Math.max(0, n - 1);
      } else {
        column = label.matches("\\d{1,9}") ? (Object) Integer.valueOf(label) : label;
      }
      try {
        return new CsvSpec(
            target.toString(),
            null,
            null,
            column,
            null,
            null,
            null,
            null,
            sep,
            task,
            "error",
            null,
            null,
            null,
            null,
            null,
            null,
            null);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage());
      }
    }
  }

  // ---- a table

  /**
   * The text form; {@code lastColumn}: the label was not chosen but taken to be the last column,
   * which the heading says.
   */
  static String table(TableSchema s, boolean lastColumn) {
    StringBuilder b = new StringBuilder();
    long features = s.columns().stream().filter(c -> c.role().equals("feature")).count();
    b.append(
        String.format(
            Locale.ROOT,
            "%s: %,d rows, %d columns (%s), %s%s%n",
            s.file(),
            s.rows(),
            s.columns().size(),
            s.header() ? "names from its header" : "no header: numbered from 0",
            dev.mlp.data.files.InputFiles.bytes(s.bytes()),
            s.testFile() == null
                ? ""
                : String.format(
                    Locale.ROOT, "; test file %s: %,d rows", s.testFile(), s.testRows())));
    b.append(
        String.format(
            Locale.ROOT,
            "label '%s'%s, %s (%s); %d feature columns%n%n",
            s.label(),
            lastColumn ? " (the last column; choose another with --label)" : "",
            s.task(),
            s.taskReason(),
            features));
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {"column", "role", "type", "missing", "min", "max", "mean", "std", "values"});
    for (TableSchema.Column c : s.columns()) {
      rows.add(
          new String[] {
            c.name(),
            c.role(),
            c.type(),
            c.role().equals("excluded") ? "" : String.format(Locale.ROOT, "%,d", c.missing()),
            num(c.min()),
            num(c.max()),
            num(c.mean()),
            num(c.std()),
            values(c)
          });
    }
    b.append(Metrics.columns(rows, 3, 8));
    b.append('\n');
    TableSchema.Column label = s.labelColumn();
    if (s.task().equals("classification")) {
      long all = s.classes().stream().mapToLong(TableSchema.Count::count).sum();
      b.append(
          String.format(Locale.ROOT, "classes of '%s' (%,d labelled rows):%n", s.label(), all));
      List<String[]> cls = new ArrayList<>();
      for (TableSchema.Count c : s.classes()) {
        cls.add(
            new String[] {
              "  " + c.value(),
              String.format(Locale.ROOT, "%,d", c.count()),
              percent(c.count(), all)
            });
      }
      b.append(Metrics.columns(cls, 1, 3));
      TableSchema.Count most =
          s.classes().stream()
              .max(java.util.Comparator.comparingLong(TableSchema.Count::count))
              .orElseThrow();
      b.append(
          String.format(
              Locale.ROOT,
              "majority class '%s': %.1f %% (the accuracy of always predicting it, to beat)%n",
              most.value(),
              100 * s.majorityShare()));
    } else {
      b.append(
          String.format(
              Locale.ROOT,
              "'%s' from %s to %s, mean %s, std %s: predicting the mean for every row has RMSE %s"
                  + " (R² 0), to beat%n",
              s.label(),
              num(label.min()),
              num(label.max()),
              num(label.mean()),
              num(label.std()),
              num(label.std())));
    }
    b.append(
        s.rowsWithMissing() == 0
            ? "no empty cells\n"
            : String.format(
                Locale.ROOT,
                "%,d of %,d rows have an empty cell: training stops at the first unless"
                    + " data.missing is drop or mean%n",
                s.rowsWithMissing(),
                s.rows()));
    return b.toString();
  }

  private static String values(TableSchema.Column c) {
    if (c.top().isEmpty()) {
      return "";
    }
    if (c.distinct() > TableSchema.TOP && c.top().get(0).count() == 1) {
      return String.format(Locale.ROOT, "%,d distinct, each once", c.distinct())
          + (c.role().equals("feature")
              ? " (an id or a date? leave it out with data.exclude)"
              : "");
    }
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%,d: ", c.distinct()));
    for (int i = 0; i < c.top().size(); i++) {
      TableSchema.Count v = c.top().get(i);
      b.append(i > 0 ? ", " : "").append(v.value()).append(' ').append(v.count());
    }
    if (c.distinct() > c.top().size()) {
      b.append(", …");
    }
    return b.toString();
  }

  static ObjectNode tableJson(TableSchema s) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("file", s.file().toString());
    o.put("bytes", s.bytes());
    o.put("header", s.header());
    o.put("rows", s.rows());
    if (s.testFile() != null) {
      o.put("test_file", s.testFile().toString());
      o.put("test_rows", s.testRows());
    }
    o.put("label", s.label());
    o.put("task", s.task());
    o.put("task_reason", s.taskReason());
    o.put("rows_with_missing", s.rowsWithMissing());
    ArrayNode cols = o.putArray("columns");
    for (TableSchema.Column c : s.columns()) {
      ObjectNode j = cols.addObject();
      j.put("name", c.name());
      j.put("role", c.role());
      j.put("type", c.type());
      if (c.role().equals("excluded")) {
        continue;
      }
      j.put("missing", c.missing());
      if (c.numeric()) {
        put(j, "min", c.min());
        put(j, "max", c.max());
        put(j, "mean", c.mean());
        put(j, "std", c.std());
      } else {
        j.put("distinct", c.distinct());
        ObjectNode top = j.putObject("top");
        c.top().forEach(v -> top.put(v.value(), v.count()));
      }
    }
    if (s.task().equals("classification")) {
      ObjectNode cls = o.putObject("classes");
      s.classes().forEach(c -> cls.put(c.value(), c.count()));
      put(o, "majority_share", s.majorityShare());
    }
    return o;
  }

  // ---- any other data set, as loaded

  static String splits(String type, DataSplits d) {
    StringBuilder b = new StringBuilder();
    Dataset train = d.train();
    Dataset test = d.test();
    b.append(
        String.format(
            Locale.ROOT,
            "data %s: %,d train and %,d test samples of %,d inputs; %s%n",
            type,
            train.count(),
            test.count(),
            d.featureSize(),
            train.classification()
                ? d.numClasses() + " classes, classification"
                : d.numClasses() + (d.numClasses() == 1 ? " value" : " values") + ", regression"));
    Stats x = Stats.of(train);
    b.append(
        String.format(
            Locale.ROOT,
            "inputs (train): from %s to %s, mean %s, std %s; %,d of %,d inputs constant%n%n",
            num(x.min),
            num(x.max),
            num(x.mean),
            num(x.std),
            x.constant,
            d.featureSize()));
    if (train.classification()) {
      long[] nTrain = counts(train);
      long[] nTest = counts(test);
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"class", "train", "", "test", ""});
      for (int c = 0; c < d.numClasses(); c++) {
        rows.add(
            new String[] {
              d.classes().get(c),
              String.format(Locale.ROOT, "%,d", nTrain[c]),
              percent(nTrain[c], train.count()),
              String.format(Locale.ROOT, "%,d", nTest[c]),
              percent(nTest[c], test.count())
            });
      }
      b.append(Metrics.columns(rows, 1, 5));
      int most = 0;
      for (int c = 1; c < nTrain.length; c++) {
        most = nTrain[c] > nTrain[most] ? c : most;
      }
      b.append(
          String.format(
              Locale.ROOT,
              "majority class '%s': %.1f %% of test (the accuracy of always predicting it, to"
                  + " beat)%n",
              d.classes().get(most),
              test.count() == 0 ? Double.NaN : 100.0 * nTest[most] / test.count()));
    } else {
      Stats y = Stats.of(train.targets(), d.numClasses());
      b.append(
          String.format(
              Locale.ROOT,
              "targets (train): from %s to %s, mean %s, std %s: predicting the mean has RMSE about"
                  + " %s, to beat%n",
              num(y.min),
              num(y.max),
              num(y.mean),
              num(y.std),
              num(y.std)));
    }
    return b.toString();
  }

  static ObjectNode splitsJson(String type, DataSplits d) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("type", type);
    o.put("train", d.train().count());
    o.put("test", d.test().count());
    o.put("inputs", d.featureSize());
    o.put("task", d.train().classification() ? "classification" : "regression");
    Stats x = Stats.of(d.train());
    ObjectNode in = o.putObject("inputs_train");
    put(in, "min", x.min);
    put(in, "max", x.max);
    put(in, "mean", x.mean);
    put(in, "std", x.std);
    in.put("constant", x.constant);
    if (d.train().classification()) {
      ObjectNode cls = o.putObject("classes");
      long[] nTrain = counts(d.train());
      long[] nTest = counts(d.test());
      for (int c = 0; c < d.numClasses(); c++) {
        ObjectNode k = cls.putObject(d.classes().get(c));
        k.put("train", nTrain[c]);
        k.put("test", nTest[c]);
      }
    } else {
      Stats y = Stats.of(d.train().targets(), d.numClasses());
      ObjectNode t = o.putObject("targets_train");
      put(t, "min", y.min);
      put(t, "max", y.max);
      put(t, "mean", y.mean);
      put(t, "std", y.std);
    }
    return o;
  }

  /** Range, mean and spread of all values, and how many of the {@code width} columns are flat. */
  private record Stats(double min, double max, double mean, double std, int constant) {
    /** Rows converted to floats at a time: a data set of bytes is never converted whole. */
    private static final int CHUNK = 1024;

    /** Copies {@code n} rows from row {@code from} on into {@code dst}, as floats. */
    @FunctionalInterface
    private interface Rows {
      void read(int from, int n, float[] dst);
    }

    /** The statistics of {@code data}'s inputs. */
    static Stats of(Dataset data) {
      int[] order = java.util.stream.IntStream.range(0, data.count()).toArray();
      Kernels kernels = Kernels.defaults();
      return of(
          data.count(),
          data.featureSize(),
          (from, n, dst) -> data.gatherRows(kernels, order, from, n, dst));
    }

    /** The statistics of {@code v}, rows of {@code width} values (the targets). */
    static Stats of(float[] v, int width) {
      return of(
          v.length / width,
          width,
          (from, n, dst) -> System.arraycopy(v, from * width, dst, 0, n * width));
    }

    /**
     * The statistics of {@code rows} rows of {@code width} values, read {@link #CHUNK} rows at a
     * time in row order (so the sums are the same as over one array of them).
     */
    private static Stats of(int rows, int width, Rows read) {
      float[] chunk = new float[Math.min(CHUNK, Math.max(rows, 1)) * width];
      float[] first = new float[width];
      boolean[] flat = new boolean[width];
      Arrays.fill(flat, true);
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      double sum = 0;
      for (int from = 0; from < rows; from += CHUNK) {
        int n = Math.min(CHUNK, rows - from);
        read.read(from, n, chunk);
        if (from == 0) {
          System.arraycopy(chunk, 0, first, 0, width);
        }
        for (int i = 0; i < n * width; i++) {
          float f = chunk[i];
          min = Math.min(min, f);
          max = Math.max(max, f);
          sum += f;
          flat[i % width] &= f == first[i % width];
        }
      }
      long values = (long) rows * width;
      double mean = values == 0 ? Double.NaN : sum / values;
      double sq = 0;
      for (int from = 0; from < rows; from += CHUNK) {
        int n = Math.min(CHUNK, rows - from);
        read.read(from, n, chunk);
        for (int i = 0; i < n * width; i++) {
          sq += (chunk[i] - mean) * (chunk[i] - mean);
        }
      }
      int constant = 0;
      for (int c = 0; c < width && rows > 0; c++) {
        constant += flat[c] ? 1 : 0;
      }
      return new Stats(min, max, mean, values == 0 ? Double.NaN : Math.sqrt(sq / values), constant);
    }
  }

  private static long[] counts(Dataset d) {
    long[] n = new long[d.numClasses()];
    for (int y : d.labels()) {
      n[y]++;
    }
    return n;
  }

  /** Made when first used: picocli builds every command when mlp starts. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  /** A figure as the float32 it was read as (55.9, not 55.900001525878906); NaN left out. */
  private static void put(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, (float) v);
    }
  }

  private static String percent(long n, long all) {
    return all == 0 ? "" : String.format(Locale.ROOT, "%.1f %%", 100.0 * n / all);
  }

  /** Four significant digits, or nothing for NaN. */
  static String num(double v) {
    if (Double.isNaN(v)) {
      return "";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e7) {
      return String.valueOf((long) v);
    }
    return new java.math.BigDecimal(v)
        .round(new java.math.MathContext(4))
        .stripTrailingZeros()
        .toPlainString();
  }
}
