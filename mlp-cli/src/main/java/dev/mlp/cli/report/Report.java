package dev.mlp.cli.report;

import dev.mlp.cli.report.Charts.Curve;
import dev.mlp.cli.report.ReportPage.Image;
import dev.mlp.data.files.InputFiles;
import dev.mlp.run.folder.RunBusyException;
import dev.mlp.run.folder.RunException;
import dev.mlp.run.folder.RunFolder;
import dev.mlp.run.folder.RunLock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.knowm.xchart.XYChart;

/**
 * The training report of one or more run folders (docs/RUNS.md).
 *
 * <p>It writes into one folder:
 *
 * <ul>
 *   <li>{@code loss.png}: train, test and (when the run holds one out) validation loss per epoch;
 *   <li>{@code accuracy.png}: the same for accuracy, in percent;
 *   <li>{@code confusion.png}: the test-set confusion matrix of summary.json, true class down,
 *       predicted class across, counts in the cells. With several runs every run that has a
 *       summary.json gets its own, {@code confusion-<run>.png};
 *   <li>{@code rmse.png}: a regressor's RMSE per epoch, and {@code predicted.png} its test
 *       predictions against the actual values, from the sample summary.json keeps ({@code
 *       predicted-<run>.png} with several runs);
 *   <li>{@code report.html}: one self-contained page (the images embedded, CSS inline) with the run
 *       names, the final numbers, the per-class table, the plots and each run's config.
 * </ul>
 *
 * <p>The curves come from the {@code epoch} lines of metrics.jsonl only: the loss and accuracy of a
 * {@code step} line are running means that restart every epoch, so next to the epoch points they
 * would draw a saw tooth rather than a finer curve. With several runs the runs share the two plots,
 * every series named after its run's folder. A run without summary.json (still training, or
 * interrupted) has curves but no confusion matrix and no final numbers, and the page says so; a run
 * with no finished epoch has no curves.
 *
 * <p>Every file is written to a temporary file in the output folder, forced to disk, and renamed
 * over the old one, so a crash never leaves a half-written file; the page is written last. Works
 * without a display: it sets {@code java.awt.headless=true} unless it is set already.
 */
public final class Report {
  /** The page's file name. */
  public static final String HTML = "report.html";

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private Report() {}

  /**
   * Writes the report of one run into its own folder.
   *
   * @return the files written, {@code report.html} last
   * @throws ReportException (an {@link IOException}) if {@code runDir} is not a run folder or a
   *     file in it does not follow docs/RUNS.md; the message is one line naming the file
   */
  public static List<Path> write(Path runDir) throws IOException {
    return write(List.of(runDir), runDir);
  }

  /**
   * Writes the report of {@code runDirs}, compared on shared plots, into {@code outDir} (created if
   * needed). Every run is read and checked before anything is written.
   *
   * @return the files written, {@code report.html} last
   * @throws ReportException (an {@link IOException}) if a folder is not a run folder, a file in it
   *     does not follow docs/RUNS.md, or {@code outDir} cannot be written; the message is one line
   *     naming the file (and the line when there is one)
   */
  public static List<Path> write(List<Path> runDirs, Path outDir) throws IOException {
    if (runDirs.isEmpty()) {
      throw new IllegalArgumentException("a report needs at least one run folder");
    }
    List<RunFolder> folders = new ArrayList<>();
    for (Path dir : runDirs) {
      try {
        folders.add(RunFolder.read(dir));
      } catch (RunException e) {
        throw new ReportException(e.getMessage(), e);
      }
    }
    List<String> names = distinctNames(folders);
    boolean several = folders.size() > 1;

    List<Image> curves = new ArrayList<>();
    for (Curve c : Curve.values()) {
      Optional<XYChart> chart = Charts.curve(c, folders, names);
      if (chart.isPresent()) {
        curves.add(new Image(c.file, c.measure + " per epoch", Charts.png(chart.get())));
      }
    }
    List<ReportPage.Run> runs = new ArrayList<>();
    List<Image> images = new ArrayList<>(curves);
    for (int i = 0; i < folders.size(); i++) {
      RunFolder f = folders.get(i);
      String name = names.get(i);
      Image confusion = null;
      if (f.summary() != null && !f.summary().isRegression()) {
        String title =
            name + ": confusion matrix, test set, epoch " + f.summary().keptEpoch() + " weights";
        confusion =
            new Image(
                several ? "confusion-" + fileSafe(name) + ".png" : "confusion.png",
                "confusion matrix of " + name,
                Charts.confusion(f.summary(), title));
        images.add(confusion);
      }
      if (f.summary() != null && f.summary().isRegression()) {
        String title =
            name + ": predicted vs actual, test set, epoch " + f.summary().keptEpoch() + " weights";
        Optional<byte[]> png = Charts.predictedVsActual(f.summary(), title);
        if (png.isPresent()) {
          confusion =
              new Image(
                  several ? "predicted-" + fileSafe(name) + ".png" : "predicted.png",
                  "predicted against actual values of " + name,
                  png.get());
          images.add(confusion);
        }
      }
      runs.add(new ReportPage.Run(f, name, confusion));
    }
    String html = ReportPage.html(runs, curves);

    if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
      throw new ReportException(
          outDir + ": expected a folder to write the report into, got a file");
    }
    checkNothingOfOthersIsReplaced(runDirs, outDir);
    try {
      Files.createDirectories(outDir);
    } catch (IOException e) {
      throw new ReportException(
          outDir + ": cannot create the report folder: " + InputFiles.reason(e), e);
    }
    // no training, resume or other report writes the folder meanwhile (a training that writes its
    // own report at the end already holds this lock, and may take it again)
    try (RunLock lock = RunLock.acquire(outDir, "mlp report")) {
      checkNothingOfOthersIsReplaced(runDirs, outDir);
      // every file is written in full under a temporary name first, and only then are they all
      // renamed: a full disk or a file size limit leaves the previous report as it was
      Map<Path, byte[]> files = new LinkedHashMap<>();
      for (Image i : images) {
        files.put(outDir.resolve(i.file()), i.png());
      }
      files.put(outDir.resolve(HTML), html.getBytes(StandardCharsets.UTF_8));
      return writeAll(files);
    } catch (RunBusyException e) {
      throw e;
    } catch (RunException e) {
      throw new ReportException(e.getMessage(), e);
    }
  }

  /**
   * A report may replace the files of an earlier report, never a run's own report from another
   * command nor a page that mlp did not write: a run folder receives only its own report, and a
   * report.html found in the folder must be one of mlp's.
   */
  private static void checkNothingOfOthersIsReplaced(List<Path> runDirs, Path outDir)
      throws IOException {
    if (!Files.isDirectory(outDir)) {
      return;
    }
    boolean ownRun = runDirs.size() == 1 && Files.isSameFile(runDirs.get(0), outDir);
    if (Files.exists(outDir.resolve("metrics.jsonl")) && !ownRun) {
      throw new ReportException(
          outDir
              + ": holds a run, whose own report and plots this report would replace; choose"
              + " another --out folder");
    }
    Path page = outDir.resolve(HTML);
    if (Files.isRegularFile(page)) {
      byte[] head;
      try (var in = Files.newInputStream(page)) {
        head = in.readNBytes(512);
      }
      if (!new String(head, StandardCharsets.UTF_8).contains("<title>mlp report: ")) {
        throw new ReportException(
            page
                + ": is not a report mlp wrote, and would be replaced; choose another --out folder");
      }
    }
  }

  /** The runs' folder names, made distinct with a suffix: two folders may share a name. */
  private static List<String> distinctNames(List<RunFolder> folders) {
    Set<String> taken = new HashSet<>();
    List<String> names = new ArrayList<>();
    for (RunFolder f : folders) {
      String name = f.name();
      for (int k = 2; !taken.add(name); k++) {
        name = f.name() + "-" + k;
      }
      names.add(name);
    }
    return names;
  }

  private static String fileSafe(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /**
   * Writes each file's bytes to a temporary file next to it, forced to disk; once all are written,
   * renames each over its target. On a failure no target has changed and no temporary file stays.
   */
  private static List<Path> writeAll(Map<Path, byte[]> files) throws ReportException {
    Map<Path, Path> staged = new LinkedHashMap<>();
    try {
      for (Map.Entry<Path, byte[]> f : files.entrySet()) {
        Path target = f.getKey();
        // not Files.createTempFile: its owner-only permissions would stay on the renamed file
        Path tmp =
            target
                .toAbsolutePath()
                .resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        staged.put(target, tmp);
        try (FileChannel ch =
            FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          ByteBuffer buf = ByteBuffer.wrap(f.getValue());
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
          ch.force(true);
        } catch (IOException e) {
          throw new ReportException(target + ": cannot write: " + InputFiles.reason(e), e);
        }
      }
      for (Map.Entry<Path, Path> f : staged.entrySet()) {
        try {
          Files.move(
              f.getValue(),
              f.getKey(),
              StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
          throw new ReportException(f.getKey() + ": cannot write: " + InputFiles.reason(e), e);
        }
      }
      return List.copyOf(files.keySet());
    } finally {
      staged.values().forEach(Report::deleteQuietly);
    }
  }

  private static void deleteQuietly(Path tmp) {
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException e) {
      // the rename failed and so did the clean-up: the write's own error is the one to report
    }
  }
}
