package dev.mlp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlp.data.idx.IdxFile;
import dev.mlp.data.idx.IdxReader;
import dev.mlp.data.mnist.FashionMnistSpec;
import dev.mlp.run.Model;
import dev.mlp.run.OneLine;
import dev.mlp.run.config.ConfigException;
import dev.mlp.run.image.BlankImageException;
import dev.mlp.run.image.MnistImages;
import dev.mlp.run.table.TableInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mlp predict --checkpoint FILE INPUT...}: the top classes of images or IDX samples. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Predict the class of each input with a checkpoint: PNG/JPEG images of any size (made into"
          + " 28×28 as the model's data set was: grey, white on black — a dark-on-light picture is"
          + " inverted —; for mnist the digit fitted into 20×20 and centred by its centre of mass,"
          + " for fashion_mnist the product fitted into 28×28 and centred) or IDX image files"
          + " (raw or .gz; every image in them).",
      "A picture whose header claims more than 16384 pixels a side or 8192×8192 in all, or that is"
          + " cut short or damaged, is refused (exit code 2); one in which nothing stands out from"
          + " the background gets the line 'FILE: no digit found (...)' (in JSON, label null)"
          + " instead of a prediction.",
    })
final class PredictCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "FILE",
      description = "A checkpoint, e.g. runs/<run>/checkpoints/best.safetensors.")
  Path checkpoint;

  @Parameters(
      arity = "1..*",
      paramLabel = "INPUT",
      description =
          "Image or IDX files; for a model trained on a table (data type csv), CSV files whose"
              + " header names the columns.")
  List<Path> inputs;

  @Option(
      names = "--top",
      paramLabel = "K",
      defaultValue = "3",
      description = "How many classes to show per input (default ${DEFAULT-VALUE}).")
  int top;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "100",
      description =
          "At most N images from each IDX file (default ${DEFAULT-VALUE}; 0: all), or rows from"
              + " each CSV file (default: all).")
  int limit;

  @Option(names = "--json", description = "One JSON object per input image on stdout.")
  boolean json;

  @Mixin PluginOptions plugins;

  @Option(names = "--verbose", description = "Print stack traces on errors.")
  boolean verbose;

  /**
   * The largest IDX data a user's file may declare: 1 GiB, about 20 times MNIST's training images,
   * so a damaged or hostile header is refused before anything is read.
   */
  static final long MAX_IDX_BYTES = 1L << 30;

  /** One picture to classify, and what to call it; pixels null for a blank picture. */
  private record Sample(String name, float[] pixels) {}

  @Override
  public Integer call() throws Exception {
    if (top < 1) {
      throw new ConfigException("--top must be at least 1, got " + top);
    }
    if (limit < 0) {
      throw new ConfigException("--limit must be >= 0, got " + limit);
    }
    Model model = Model.load(checkpoint, plugins.registry());
    if (model.table() != null) {
      return predictRows(model);
    }
    // every input is read and checked before anything is printed
    List<Sample> samples = new ArrayList<>();
    for (Path input : inputs) {
      samples.addAll(read(input, model));
    }
    PrintWriter out = spec.commandLine().getOut();
    ObjectMapper mapper = new ObjectMapper();
    String none =
        (model.config().data() instanceof FashionMnistSpec ? "no product" : "no digit")
            + " found (nothing stands out from the background)";
    // classes named by the data (an image folder's folder names): said by name too
    List<String> names = model.checkpoint().classNames();
    boolean named = false;
    for (int c = 0; c < names.size(); c++) {
      named |= !names.get(c).equals(String.valueOf(c));
    }
    for (Sample s : samples) {
      if (s.pixels() == null) { // a blank picture: said so in its place, no class made up
        printNone(out, mapper, s.name(), none);
        continue;
      }
      List<Model.Prediction> ps = model.top(s.pixels(), top);
      if (json) {
        ObjectNode o = mapper.createObjectNode();
        o.put("input", s.name());
        o.put("label", ps.get(0).label());
        if (named) {
          o.put("class", model.className(ps.get(0).label()));
        }
        ArrayNode t = o.putArray("top");
        for (Model.Prediction p : ps) {
          ObjectNode e = t.addObject().put("label", p.label());
          if (named) {
            e.put("class", model.className(p.label()));
          }
          e.put("probability", p.probability());
        }
        out.println(o);
      } else {
        StringBuilder b =
            new StringBuilder(OneLine.escape(s.name()))
                .append(": ")
                .append(OneLine.escape(model.className(ps.get(0).label())));
        String sep = "  (";
        for (Model.Prediction p : ps) {
          b.append(sep)
              .append(
                  String.format(
                      Locale.ROOT,
                      "%s %.1f%%",
                      OneLine.escape(model.className(p.label())),
                      100 * p.probability()));
          sep = ", ";
        }
        out.println(b.append(')'));
      }
    }
    out.flush();
    return ExitCode.OK;
  }

  /**
   * A table model's answers for the rows of CSV files, by column name: CSV on stdout ({@code
   * input,<label>,p_<class>...} for a classifier, {@code input,<label>} for a regressor), or one
   * JSON object per row.
   */
  private int predictRows(Model model) throws IOException {
    TableInput table = model.table();
    // every row of a CSV file unless --limit is given (its default is for IDX files' images)
    int perFile = spec.commandLine().getParseResult().hasMatchedOption("--limit") ? limit : 0;
    List<String> names = new ArrayList<>();
    List<float[]> rows = new ArrayList<>();
    for (Path input : inputs) {
      dev.mlp.data.files.InputFiles.requireRegularFile(input, "CSV file of rows");
      List<String> header = null;
      int taken = 0;
      try (var reader =
          de.siegmar.fastcsv.reader.CsvReader.builder()
              .skipEmptyLines(true)
              .detectBomHeader(true)
              .allowMissingFields(true)
              .allowExtraFields(true)
              .ofCsvRecord(dev.mlp.data.files.InputFiles.utf8Reader(input))) {
        for (var record : reader) {
          List<String> cells = record.getFields().stream().map(String::strip).toList();
          if (header == null) {
            header = cells;
            for (int i = 0; i < header.size(); i++) {
              if (header.indexOf(header.get(i)) != i) {
                throw new IOException(
                    OneLine.escape(
                        input
                            + ":"
                            + record.getStartingLineNumber()
                            + ": the column name '"
                            + header.get(i)
                            + "' is there twice"));
              }
            }
            continue;
          }
          String where = input + ":" + record.getStartingLineNumber();
          if (cells.size() != header.size()) {
            throw new IOException(
                where + ": " + cells.size() + " fields but the header has " + header.size());
          }
          try {
            rows.add(table.features(TableInput.row(header, cells), OneLine.escape(where)));
          } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
          }
          names.add(where);
          if (++taken == perFile) {
            break;
          }
        }
      } catch (de.siegmar.fastcsv.reader.CsvParseException | java.io.UncheckedIOException e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
          if (c instanceof java.nio.charset.CharacterCodingException) {
            throw dev.mlp.data.files.InputFiles.notUtf8(input);
          }
        }
        throw new IOException(input + ": not a CSV file mlp can read: " + e.getMessage());
      }
      if (header == null) {
        throw new IOException(input + ": empty; expected a header naming the columns, then rows");
      }
      if (taken == 0) {
        throw new IOException(input + ": a header and no rows; expected rows to predict");
      }
    }
    float[][] outputs = model.outputs(rows.toArray(float[][]::new));
    PrintWriter out = spec.commandLine().getOut();
    ObjectMapper mapper = new ObjectMapper();
    List<String> classes = model.classNames();
    if (!json) {
      StringBuilder h = new StringBuilder("input,").append(csv(table.label()));
      if (!table.regression()) {
        for (String c : classes) {
          h.append(",p_").append(csv(c));
        }
      }
      out.println(h);
    }
    for (int r = 0; r < outputs.length; r++) {
      float[] y = outputs[r];
      if (table.regression()) {
        if (json) {
          out.println(mapper.createObjectNode().put("input", names.get(r)).put("value", y[0]));
        } else {
          out.println(csv(names.get(r)) + "," + y[0]);
        }
        continue;
      }
      int best = 0;
      for (int c = 1; c < y.length; c++) {
        best = y[c] > y[best] ? c : best;
      }
      if (json) {
        ObjectNode o = mapper.createObjectNode();
        o.put("input", names.get(r));
        o.put("label", model.className(best));
        ArrayNode t = o.putArray("top");
        for (Model.Prediction p : model.top(rows.get(r), Math.min(top, y.length))) {
          t.addObject()
              .put("label", model.className(p.label()))
              .put("probability", p.probability());
        }
        out.println(o);
      } else {
        StringBuilder b =
            new StringBuilder(csv(names.get(r))).append(',').append(csv(model.className(best)));
        for (float p : y) {
          b.append(',').append(String.format(Locale.ROOT, "%.6f", p));
        }
        out.println(b);
      }
    }
    out.flush();
    return ExitCode.OK;
  }

  /** A CSV field: quoted when it holds a separator, a quote or a line break. */
  private static String csv(String s) {
    return s.matches("[^,\"\r\n]*") ? s : "\"" + s.replace("\"", "\"\"") + "\"";
  }

  /** The line of a picture that holds nothing to classify: {@code note} instead of classes. */
  private void printNone(PrintWriter out, ObjectMapper mapper, String name, String note) {
    if (json) {
      ObjectNode o = mapper.createObjectNode();
      o.put("input", name);
      o.putNull("label");
      o.putArray("top");
      o.put("note", note);
      out.println(o);
    } else {
      out.println(OneLine.escape(name) + ": " + note);
    }
  }

  private List<Sample> read(Path input, Model model) throws IOException {
    int features = model.inputSize();
    if (isIdx(input)) {
      IdxFile idx = IdxReader.read(input, MAX_IDX_BYTES);
      if (idx.dtype() != IdxFile.UBYTE || idx.dims().length != 3) {
        throw new IOException(
            input + ": an IDX file of images is unsigned bytes [count, rows, cols]; this is not");
      }
      long pixels = (long) idx.dims()[1] * idx.dims()[2];
      if (pixels != features) {
        throw new IOException(
            input
                + ": its images have "
                + pixels
                + " pixels but the model reads "
                + features
                + " features");
      }
      int size = features;
      int n = limit == 0 ? idx.dims()[0] : Math.min(limit, idx.dims()[0]);
      List<Sample> out = new ArrayList<>(n);
      byte[] px = idx.data();
      for (int i = 0; i < n; i++) {
        float[] x = new float[size];
        for (int j = 0; j < size; j++) {
          x[j] = (px[i * size + j] & 0xFF) / 255f;
        }
        out.add(new Sample(input + "[" + i + "]", x));
      }
      return out;
    }
    try {
      return List.of(new Sample(input.toString(), model.prepare(MnistImages.read(input))));
    } catch (BlankImageException e) {
      return List.of(new Sample(input.toString(), null));
    } catch (IllegalArgumentException e) {
      throw new IOException(input + ": " + e.getMessage());
    }
  }

  /** IDX files start with two zero bytes (raw) or are gzip (1f 8b) with a name ending in ubyte. */
  private static boolean isIdx(Path input) throws IOException {
    if (!Files.isRegularFile(input)) {
      return false; // the image reader says what is missing
    }
    byte[] head = new byte[4];
    int n;
    try (InputStream in = Files.newInputStream(input)) {
      n = in.readNBytes(head, 0, 4);
    }
    if (n == 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x08) {
      return true;
    }
    String name = input.getFileName().toString();
    return n >= 2 && (head[0] & 0xFF) == 0x1f && (head[1] & 0xFF) == 0x8b && name.contains("ubyte");
  }
}
