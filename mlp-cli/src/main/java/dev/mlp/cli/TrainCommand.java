package dev.mlp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlp.cli.report.Report;
import dev.mlp.core.config.ExperimentConfig;
import dev.mlp.core.data.Dataset;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.registry.Registry;
import dev.mlp.core.train.ClassificationMetrics;
import dev.mlp.core.train.EpochMetrics;
import dev.mlp.core.train.Trainer;
import dev.mlp.core.train.TrainingDivergedException;
import dev.mlp.core.train.TrainingListener;
import dev.mlp.core.train.TrainingState;
import dev.mlp.run.Experiment;
import dev.mlp.run.checkpoint.Checkpoint;
import dev.mlp.run.config.ConfigException;
import dev.mlp.run.config.ConfigLoader;
import dev.mlp.run.config.ConfigWriter;
import dev.mlp.run.config.LoadedConfig;
import dev.mlp.run.folder.AtomicFile;
import dev.mlp.run.folder.RunException;
import dev.mlp.run.folder.RunFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

  private final ObjectMapper mapper = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter info = json ? err : out;
    if (logEvery < 0) {
      throw new ConfigException("--log-every must be >= 0, got " + logEvery);
    }
    Registry registry = options.plugins.registry();
    Checkpoint from = null;
    RunFolder run;
    LoadedConfig loaded;
    if (resume != null) {
      if (outDir != null) {
        throw new ConfigException("--resume continues in the run's own folder; drop --out");
      }
      if (options.config != null
          || !options.changes.sets.isEmpty()
          || options.changes.seed != null) {
        throw new ConfigException(
            "--resume takes the config from the checkpoint; drop --config, --set and --seed"
                + " (only --epochs may extend the run)");
      }
      Path file =
          Files.isDirectory(resume) ? resume.resolve("checkpoints/last.safetensors") : resume;
      from = Checkpoint.read(file);
      Path dir = Files.isDirectory(resume) ? resume : runOf(file);
      run = RunFolder.open(dir);
      loaded = new ConfigLoader(registry).load(from.configYaml(), file, options.overrides());
    } else {
      if (options.config == null) {
        throw new ConfigException(
            "--config FILE is required (e.g. --config configs/mnist-2layer.yaml), or --resume RUN");
      }
      loaded = new ConfigLoader(registry).load(options.config, options.overrides());
      run = null;
    }
    if (from != null) {
      TrainingState at = from.state();
      int epochs = loaded.config().training().epochs();
      if (at.stoppedEarly() || (at.epoch() >= epochs && at.stepInEpoch() == 0)) {
        info.printf(
            "%s is complete (%s after epoch %d); nothing to train. Extend it with --epochs N.%n",
            run.dir(), at.stoppedEarly() ? "stopped early" : "all epochs done", at.epoch());
        info.flush();
        return ExitCode.OK;
      }
    }
    boolean bars = !json && !noProgress && DataLog.terminal();
    Experiment x =
        Experiment.prepare(registry, loaded, options.threadCount(), new DataLog(err, bars));
    ExperimentConfig cfg = x.config();
    if (from != null && !from.dataChecksum().equals(x.data().checksum())) {
      throw new RunException(
          from.file()
              + ": was trained on data with checksum "
              + from.dataChecksum()
              + " but "
              + cfg.data()
              + " now gives "
              + x.data().checksum());
    }
    if (run == null) {
      run = RunFolder.create(outDir, cfg.name());
    }
    String configYaml = new ConfigWriter(registry).toYaml(cfg);
    AtomicFile.write(run.config(), configYaml.getBytes(StandardCharsets.UTF_8));
    Checkpoint.Info ckptInfo =
        new Checkpoint.Info(configYaml, cfg.name(), x.data().checksum(), VersionProvider.version());

    Trainer trainer =
        new Trainer(
            x.model(), x.optimizer(), cfg.training(), cfg.seed(), x.kernels(), x.schedule());
    TrainingState start = TrainingState.start();
    if (from != null) {
      start = from.state();
      from.loadWeights(x.model());
      from.loadTrainingState(x.model(), x.optimizer());
      List<EpochMetrics> earlier = run.keepMetricsUpTo(start.steps());
      if (earlier.size() != start.epoch()) {
        throw new RunException(
            run.metrics()
                + ": has "
                + earlier.size()
                + " epoch lines up to step "
                + start.steps()
                + " but the checkpoint is after epoch "
                + start.epoch());
      }
      float[][] best = null;
      if (start.bestEpoch() > 0 && start.bestEpoch() != start.epoch()) {
        Checkpoint b = Checkpoint.read(run.best());
        if (b.state().epoch() != start.bestEpoch()) {
          throw new RunException(
              run.best()
                  + ": holds epoch "
                  + b.state().epoch()
                  + " but the run's best epoch is "
                  + start.bestEpoch());
        }
        best = b.weights(x.model());
      }
      trainer.resume(start, earlier, best);
    }

    info.printf(
        "%s: %s, seed %d, %d epochs of batch %d, %s, %s%n",
        cfg.name(),
        from != null ? from.file() : options.config,
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
    info.printf("run: %s%n", run.dir());
    if (from != null) {
      if (start.stepInEpoch() == 0) {
        info.printf(
            "resuming after epoch %d, step %d (%s)%n", start.epoch(), start.steps(), from.file());
      } else {
        info.printf(
            "resuming in epoch %d after step %d (%d steps of the epoch done; %s)%n",
            start.epoch() + 1, start.steps(), start.stepInEpoch(), from.file());
      }
    }
    info.flush();

    boolean validation = cfg.training().validation() > 0;
    if (!json) {
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
    RunFolder folder = run;
    Progress progress =
        bars
            ? new Progress(
                cfg.training().epochs(), x.data().train().count() - cfg.training().validation())
            : null;
    TrainingListener listener =
        new TrainingListener() {
          @Override
          public void onStep(StepProgress p) {
            if (progress != null) {
              progress.step(p);
            }
            if (logEvery > 0 && p.steps() % logEvery == 0) {
              ObjectNode o = mapper.createObjectNode();
              o.put("kind", "step");
              o.put("epoch", p.epoch());
              o.put("step", p.steps());
              o.put("loss", p.runningLoss());
              o.put("accuracy", p.runningAccuracy());
              o.put("lr", p.learningRate());
              write(() -> folder.log(o));
            }
          }

          @Override
          public void onEpoch(EpochMetrics m, boolean improved) {
            if (progress != null) {
              progress.endEpoch();
            }
            print(m, out, folder);
            write(
                () -> {
                  folder.log(folder.epochLine(m));
                  Checkpoint.save(
                      folder.last(), x.model(), x.optimizer(), trainer.state(), ckptInfo);
                  if (improved) {
                    Checkpoint.save(
                        folder.best(), x.model(), x.optimizer(), trainer.state(), ckptInfo);
                  }
                });
          }
        };

    CountDownLatch finished = new CountDownLatch(1);
    Thread onSignal =
        new Thread(
            () -> {
              trainer.requestStop();
              try {
                finished.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "mlp-stop");
    Runtime.getRuntime().addShutdownHook(onSignal);
    try {
      Trainer.Outcome outcome;
      try {
        outcome = trainer.fit(x.data().train(), x.data().test(), listener);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      } catch (TrainingDivergedException e) {
        // the diverged weights are never saved: the last checkpoint is the last good one
        throw new TrainingDivergedException(
            e.getMessage()
                + (Files.exists(run.last())
                    ? "; kept the last good checkpoint, "
                        + run.last()
                        + " (epoch "
                        + Checkpoint.read(run.last()).state().epoch()
                        + ")"
                    : "; no checkpoint was written"));
      } finally {
        if (progress != null) {
          progress.close();
        }
        run.close();
      }
      if (outcome.interrupted()) {
        TrainingState at = trainer.state();
        Checkpoint.save(run.last(), x.model(), x.optimizer(), at, ckptInfo);
        info.printf(
            "interrupted in epoch %d after step %d: saved %s; continue with: mlp train --resume %s%n",
            at.epoch() + (at.stepInEpoch() > 0 ? 1 : 0), at.steps(), run.last(), run.dir());
        info.flush();
        return ExitCode.INTERRUPTED;
      }
      finish(outcome, cfg, x.model(), x.data().test(), info, run);
      return ExitCode.OK;
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(onSignal);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook is running and is waiting for us
      }
    }
  }

  /** The run folder a checkpoint file belongs to: the folder above its checkpoints/ folder. */
  private static Path runOf(Path file) {
    Path dir = file.getParent() != null ? file.getParent() : file.toAbsolutePath().getParent();
    if (dir.getFileName() != null && dir.getFileName().toString().equals("checkpoints")) {
      Path up = dir.getParent();
      return up != null ? up : dir.toAbsolutePath().getParent();
    }
    return dir;
  }

  private void finish(
      Trainer.Outcome outcome,
      ExperimentConfig cfg,
      Sequential model,
      Dataset test,
      PrintWriter info,
      RunFolder run)
      throws IOException {
    int last = outcome.epochs().size();
    if (outcome.stoppedEarly()) {
      info.printf(
          "stopped after epoch %d: validation accuracy did not improve for %d epochs%n",
          last, cfg.training().earlyStopping().patience());
    }
    EpochMetrics kept = outcome.epochs().get(outcome.keptEpoch() - 1);
    if (cfg.training().validation() > 0) {
      info.printf(
          "kept the weights of epoch %d (validation accuracy %.4f, test accuracy %.4f)%n",
          kept.epoch(), kept.validationAccuracy(), kept.testAccuracy());
    }
    ObjectNode summary = mapper.createObjectNode();
    summary.put("name", cfg.name());
    summary.put("kept_epoch", outcome.keptEpoch());
    summary.put("stopped_early", outcome.stoppedEarly());
    // the kept weights on the test set, class by class (the same figures as mlp eval)
    Metrics.json(ClassificationMetrics.of(model, test, cfg.training().evalBatchSize()), summary);
    AtomicFile.write(
        run.summary(), mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(summary));
    try {
      List<Path> report = Report.write(run.dir());
      info.printf("report: %s%n", report.get(report.size() - 1));
    } catch (IOException e) {
      // the run and its checkpoints are whole; a report can be made again with mlp report
      info.printf("no report: %s (try again with: mlp report %s)%n", e.getMessage(), run.dir());
    }
    info.printf("run folder: %s%n", run.dir());
    info.flush();
  }

  /** An I/O step inside a listener, whose failure must end training. */
  private interface IoStep {
    void run() throws IOException;
  }

  private static void write(IoStep step) {
    try {
      step.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void print(EpochMetrics m, PrintWriter out, RunFolder run) {
    if (json) {
      // the metrics log's epoch line, without the kind that tells it from step lines
      ObjectNode o = run.epochLine(m);
      o.remove("kind");
      out.println(o);
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
