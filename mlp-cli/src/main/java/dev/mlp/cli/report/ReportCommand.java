package dev.mlp.cli.report;

import dev.mlp.cli.ExitCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mlp report RUN [RUN...] [--out DIR]}: (re)writes the training report of run folders. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write the training report of a run folder: loss.png, accuracy.png, confusion.png and"
          + " report.html, one self-contained page with the plots embedded, the final numbers,"
          + " the per-class scores and the config. Several runs are compared on shared plots,"
          + " with one confusion-<run>.png each.",
      "Prints the path of report.html."
    })
public final class ReportCommand implements Callable<Integer> {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "RUN",
      description = "A run folder mlp train wrote, e.g. runs/mnist-2layer-20261127-233000.")
  List<Path> runs;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Where to write the report. Default: the run folder itself for one run,"
              + " compare-<yyyyMMdd-HHmmss> under $MLP_RUNS (else runs/) for several.")
  Path out;

  @Option(names = "--verbose", description = "Print stack traces on errors.")
  boolean verbose;

  @Override
  public Integer call() throws IOException {
    Path dir = out;
    if (dir == null) {
      dir =
          runs.size() == 1
              ? runs.get(0)
              : dev.mlp.run.folder.RunFolder.runsRoot()
                  .resolve("compare-" + LocalDateTime.now().format(STAMP));
    }
    List<Path> written = Report.write(runs, dir);
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.println(written.get(written.size() - 1));
    stdout.flush();
    return ExitCode.OK;
  }
}
