package dev.mlp.cli;

import dev.mlp.cli.report.Report;
import dev.mlp.core.config.ExperimentConfig;
import dev.mlp.core.registry.Registry;
import dev.mlp.core.train.EpochMetrics;
import dev.mlp.core.train.TrainingListener;
import dev.mlp.core.train.TrainingState;
import dev.mlp.run.Experiment;
import dev.mlp.run.TrainingSession;
import dev.mlp.run.config.ConfigException;
import dev.mlp.run.folder.RunFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mlp train --config FILE}: trains the configured model into a run folder (config, metrics,
 * checkpoints, report), one line per epoch; {@code --resume} continues a run exactly.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train the model a YAML config describes, writing a run folder (config.yaml, metrics.jsonl,"
          + " checkpoints/last.safetensors and best.safetensors, summary.json, report.html).",
      "Ctrl-C saves the last finished step; --resume continues to the same bits as a run never"
          + " stopped."
    })
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ExperimentOptions options;

  @Option(names = "--json", description = "One JSON object per epoch on stdout, nothing else.")
  boolean json;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "The run folder (default: runs/<config name>-<timestamp>).")
  Path outDir;

  @Option(
      names = "--resume",
      paramLabel = "RUN_OR_CHECKPOINT",
      description =
          "Continue a run from its folder (its checkpoints/last.safetensors) or from a checkpoint"
              + " file; the config comes from the checkpoint (--epochs may extend it).")
  Path resume;

  @Option(
      names = "--log-every",
      paramLabel = "STEPS",
      defaultValue = "100",
      description =
          "Steps between the step lines of metrics.jsonl (0: none; default ${DEFAULT-VALUE}).")
  int logEvery;

  @Option(
      names = "--no-progress",
      description = "No progress bar (it is shown only when the output is a terminal anyway).")
  boolean noProgress;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter info = json ? spec.commandLine().getErr() : out;
    if (logEvery < 0) {
      throw new ConfigException("--log-every must be >= 0, got " + logEvery);
    }
    try (TrainingSession session = open(options.plugins.registry())) {
      return train(session, out, info);
    }
  }

  /** Trains the session, printing as it goes; the session is closed after the last word. */
  private int train(TrainingSession session, PrintWriter out, PrintWriter info) throws Exception {
    if (session.complete()) {
      TrainingState at = session.start();
      info.printf(
          "%s is complete (%s after epoch %d); nothing to train. Extend it with --epochs N.%n",
          session.runDir(), at.stoppedEarly() ? "stopped early" : "all epochs done", at.epoch());
      info.flush();
      return ExitCode.OK;
    }
    boolean bars = !json && !noProgress && DataLog.terminal();
    session.stopOnShutdown(); // from the run folder's creation on, Ctrl-C saves where it is
    Experiment x =
        session.prepare(options.threadCount(), new DataLog(spec.commandLine().getErr(), bars));
    printHeader(session, x, info);
    ExperimentConfig cfg = x.config();
    Progress progress =
        bars
            ? new Progress(
                cfg.training().epochs(), x.data().train().count() - cfg.training().validation())
            : null;
    TrainingSession.Result result;
    try {
      result =
          session.train(
              withTrialListener(session, new EpochPrinter(out, progress)),
              logEvery,
              true,
              line -> {
                info.println(line);
                info.flush();
              });
    } finally {
      if (progress != null) {
        progress.close();
      }
    }
    if (result.interrupted()) {
      TrainingState at = result.at();
      info.printf(
          "interrupted in epoch %d after step %d: saved %s; continue with: %s train --resume %s%n",
          at.epoch() + (at.stepInEpoch() > 0 ? 1 : 0),
          at.steps(),
          result.checkpoint(),
          Main.command(),
          session.runDir());
      info.flush();
      return ExitCode.INTERRUPTED;
    }
    printEnd(result, session.runDir(), cfg, info);
    return ExitCode.OK;
  }

  /**
   * One more listener of the run, for {@code mlp sweep run-trial} (its pruner), which runs this
   * command in its own process: null for none.
   */
  static volatile java.util.function.Function<TrainingSession, TrainingListener> trialListener;

  private static TrainingListener withTrialListener(
      TrainingSession session, TrainingListener first) {
    var extra = trialListener;
    if (extra == null) {
      return first;
    }
    TrainingListener second = extra.apply(session);
    return new TrainingListener() {
      @Override
      public void onStep(StepProgress p) {
        first.onStep(p);
        second.onStep(p);
      }

      @Override
      public void onEpoch(dev.mlp.core.train.EpochMetrics m, boolean improved) {
        first.onEpoch(m, improved);
        second.onEpoch(m, improved);
      }

      @Override
      public void onTrainEnd(dev.mlp.core.train.Trainer.Outcome outcome) {
        first.onTrainEnd(outcome);
        second.onTrainEnd(outcome);
      }
    };
  }

  /** The session the options ask for: a new run of --config, or the run of --resume. */
  private TrainingSession open(Registry registry) throws IOException, ConfigException {
    if (resume == null) {
      if (options.config == null) {
        throw new ConfigException(
            "--config FILE is required (e.g. --config configs/mnist-2layer.yaml), or --resume RUN");
      }
      return TrainingSession.create(registry, options.load(registry), outDir);
    }
    if (outDir != null) {
      throw new ConfigException("--resume continues in the run's own folder; drop --out");
    }
    if (options.config != null || !options.changes.sets.isEmpty() || options.changes.seed != null) {
      throw new ConfigException(
          "--resume takes the config from the checkpoint; drop --config, --set and --seed"
              + " (only --epochs may extend the run)");
    }
    return TrainingSession.resume(registry, resume, options.overrides());
  }

  /** How the run ended, which weights it kept, the report and the folder. */
  private static void printEnd(
      TrainingSession.Result result, Path dir, ExperimentConfig cfg, PrintWriter info) {
    if (result.stoppedEarly()) {
      info.printf(
          "stopped after epoch %d: validation accuracy did not improve for %d epochs%n",
          result.epochs().size(), cfg.training().earlyStopping().patience());
    }
    if (cfg.training().validation() > 0
        && result.summary() != null
        && result.summary().isRegression()) {
      info.printf(
          "kept the weights of epoch %d (validation loss %.4f, test loss %.4f)%n",
          result.keptEpoch(), result.kept().validationLoss(), result.kept().testLoss());
    } else if (cfg.training().validation() > 0) {
      info.printf(
          "kept the weights of epoch %d (validation accuracy %.4f, test accuracy %.4f)%n",
          result.keptEpoch(), result.kept().validationAccuracy(), result.kept().testAccuracy());
    }
    try {
      List<Path> report = Report.write(dir);
      info.printf("report: %s%n", report.get(report.size() - 1));
    } catch (IOException e) {
      // the run and its checkpoints are whole; a report can be made again with mlp report
      info.printf(
          "no report: %s (try again with: %s report %s)%n", e.getMessage(), Main.command(), dir);
    }
    info.printf("run folder: %s%n", dir);
    info.flush();
  }

  private void printHeader(TrainingSession session, Experiment x, PrintWriter info)
      throws IOException {
    ExperimentConfig cfg = x.config();
    Path from = session.resumedFrom();
    info.printf(
        "%s: %s, seed %d, %d epochs of batch %d, %s, %s%n",
        cfg.name(),
        from != null ? from : options.config,
        cfg.seed(),
        cfg.training().epochs(),
        cfg.training().batchSize(),
        x.optimizer(),
        x.kernels());
    info.printf(
        "data: %s (%,d train, %,d test)%n",
        x.data().train().name().replaceAll("/.*", ""),
        x.data().train().count(),
        x.data().test().count());
    info.println(x.model());
    info.printf("run: %s%n", session.runDir());
    TrainingState start = session.start();
    if (from != null && start.stepInEpoch() == 0) {
      info.printf("resuming after epoch %d, step %d (%s)%n", start.epoch(), start.steps(), from);
    } else if (from != null) {
      info.printf(
          "resuming in epoch %d after step %d (%d steps of the epoch done; %s)%n",
          start.epoch() + 1, start.steps(), start.stepInEpoch(), from);
    }
    info.flush();
    if (!json) {
      printTableHeader(info, cfg.training().validation() > 0, !x.data().train().classification());
    }
  }

  /** The header of the epoch table. */
  private static void printTableHeader(PrintWriter out, boolean validation, boolean regression) {
    if (regression) {
      out.printf(
          "%5s %11s %11s %10s %8s %8s%s%n",
          "epoch",
          "loss",
          "test_loss",
          "test_mae",
          "test_r2",
          "seconds",
          validation ? String.format(" %11s", "val_loss") : "");
      out.flush();
      return;
    }
    out.printf(
        "%5s %9s %10s %10s %9s %8s%s%n",
        "epoch",
        "loss",
        "train_acc",
        "test_loss",
        "test_acc",
        "seconds",
        validation ? String.format(" %9s", "val_acc") : "");
    out.flush();
  }

  /** Progress bars while an epoch runs, then its row of the table (or its JSON line). */
  private final class EpochPrinter implements TrainingListener {
    private final PrintWriter out;
    private final Progress progress;

    EpochPrinter(PrintWriter out, Progress progress) {
      this.out = out;
      this.progress = progress;
    }

    @Override
    public void onStep(StepProgress p) {
      if (progress != null) {
        progress.step(p);
      }
    }

    @Override
    public void onEpoch(EpochMetrics m, boolean improved) {
      if (progress != null) {
        progress.endEpoch();
      }
      if (json) {
        out.println(RunFolder.epochJson(m));
      } else if (!m.test().containsKey(EpochMetrics.ACCURACY)) {
        // a regressor: its own measures, no accuracy
        out.printf(
            "%5d %11.4f %11.4f %10.4f %8.4f %8.2f%s%n",
            m.epoch(),
            m.loss(),
            m.testLoss(),
            m.test().getOrDefault("mae", Double.NaN),
            m.test().getOrDefault("r2", Double.NaN),
            m.seconds(),
            m.hasValidation() ? String.format(" %11.4f", m.validationLoss()) : "");
      } else {
        out.printf(
            "%5d %9.4f %10.4f %10.4f %9.4f %8.2f%s%n",
            m.epoch(),
            m.loss(),
            m.trainAccuracy(),
            m.testLoss(),
            m.testAccuracy(),
            m.seconds(),
            m.hasValidation() ? String.format(" %9.4f", m.validationAccuracy()) : "");
      }
      out.flush();
    }
  }
}
