package dev.mlp.run;

import dev.mlp.core.config.CallbackSpec;
import dev.mlp.core.config.ExperimentConfig;
import dev.mlp.core.registry.CallbackContext;
import dev.mlp.core.registry.Registry;
import dev.mlp.core.train.ClassificationMetrics;
import dev.mlp.core.train.EpochMetrics;
import dev.mlp.core.train.RegressionMetrics;
import dev.mlp.core.train.Trainer;
import dev.mlp.core.train.TrainingDivergedException;
import dev.mlp.core.train.TrainingListener;
import dev.mlp.core.train.TrainingState;
import dev.mlp.run.checkpoint.Checkpoint;
import dev.mlp.run.config.ConfigException;
import dev.mlp.run.config.ConfigLoader;
import dev.mlp.run.config.ConfigWriter;
import dev.mlp.run.config.LoadedConfig;
import dev.mlp.run.folder.RunException;
import dev.mlp.run.folder.RunFolder;
import dev.mlp.run.folder.StepLine;
import dev.mlp.run.folder.Summary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One training run from start to finish, in its run folder: the config resolved and written, the
 * data and model prepared, every epoch logged and checkpointed, a stop request (Ctrl-C) saved at
 * the step it came in, divergence reported with the last good checkpoint, and at the end the kept
 * weights measured and summarised. A run continued with {@link #resume} ends with the same bits as
 * one never stopped (docs/ARCHITECTURE.md, "Runs, checkpoints and exact resume").
 *
 * <p>Use: {@link #create} or {@link #resume}, then (unless {@link #complete()}) {@link #prepare},
 * then {@link #train}, and {@link #close} when done telling the user how it went. What it does is
 * told to a {@link TrainingListener}; it prints nothing.
 */
public final class TrainingSession implements AutoCloseable {
  private final Registry registry;
  private final LoadedConfig loaded;
  private final Path out;
  private final Checkpoint from;
  private final Path resumeDir;

  /** The resumed run's folder, locked from {@link #resume} to {@link #close}. */
  private final RunFolder resumed;

  /** The config.yaml a resumed run writes with its first checkpoint; null once written. */
  private String pendingConfig;

  private Experiment experiment;
  private RunFolder run;
  private Trainer trainer;
  private Checkpoint.Info info;
  private TrainingState start = TrainingState.start();

  /** Released by {@link #close}: a shutdown hook waits on it so the JVM exits after the report. */
  private final CountDownLatch finished = new CountDownLatch(1);

  private Thread onSignal;

  /** Set by a signal that came before the trainer existed: it stops at its first step. */
  private volatile boolean signalled;

  private boolean handleSignals;

  private TrainingSession(
      Registry registry, LoadedConfig loaded, Path out, Checkpoint from, RunFolder resumed) {
    this.registry = registry;
    this.loaded = loaded;
    this.out = out;
    this.from = from;
    this.resumed = resumed;
    this.resumeDir = resumed == null ? null : resumed.dir();
  }

  /**
   * A new run of {@code loaded} into {@code out} (null: {@code <name>-<time>} under {@link
   * RunFolder#runsRoot()}).
   */
  public static TrainingSession create(Registry registry, LoadedConfig loaded, Path out) {
    return new TrainingSession(registry, loaded, out, null, null);
  }

  /**
   * The run whose folder (its {@code checkpoints/last.safetensors}) or checkpoint file is {@code
   * runOrCheckpoint}, to be continued; its config comes from the checkpoint, with {@code overrides}
   * applied (only {@code training.epochs} may extend it).
   */
  public static TrainingSession resume(
      Registry registry, Path runOrCheckpoint, List<ConfigLoader.Override> overrides)
      throws IOException, ConfigException {
    boolean folder = Files.isDirectory(runOrCheckpoint);
    Path file = folder ? runOrCheckpoint.resolve("checkpoints/last.safetensors") : runOrCheckpoint;
    Path dir = folder ? runOrCheckpoint : RunFolder.of(file);
    // a checkpoint file is read first, so that one that is not a checkpoint is named as such
    Checkpoint given = folder ? null : Checkpoint.read(file);
    // a run folder, locked against a second training or report, before any data is fetched
    RunFolder run = RunFolder.open(dir);
    try {
      Checkpoint from = folder ? Checkpoint.read(file) : given;
      if (Files.isSameFile(file, run.last())) {
        checkConfigUnchanged(run, from);
      }
      LoadedConfig loaded = new ConfigLoader(registry).load(from.configYaml(), file, overrides);
      return new TrainingSession(registry, loaded, null, from, run);
    } catch (IOException | ConfigException | RuntimeException e) {
      run.unlock();
      throw e;
    }
  }

  /**
   * A run continues with the config it was trained with, which its last checkpoint holds; an edit
   * to its config.yaml would be silently undone, so it is refused, naming the first changed line.
   */
  private static void checkConfigUnchanged(RunFolder run, Checkpoint from) throws IOException {
    Path file = run.config();
    if (!Files.exists(file)) {
      return; // written again with the next checkpoint
    }
    String now = run.readConfig();
    if (now.equals(from.configYaml())) {
      return;
    }
    String[] a = from.configYaml().split("\n", -1);
    String[] b = now.split("\n", -1);
    int line = 0;
    while (line < Math.min(a.length, b.length) && a[line].equals(b[line])) {
      line++;
    }
    String was = line < a.length ? "'" + a[line].strip() + "'" : "nothing";
    String is = line < b.length ? "'" + b[line].strip() + "'" : "nothing";
    throw new RunException(
        file
            + ":"
            + (line + 1)
            + ": has "
            + is
            + " where the run's config (in "
            + from.file().getFileName()
            + ") has "
            + was
            + "; a run continues with the config it was trained with, so undo the edit (only"
            + " --epochs may change on --resume), or start a new run with --config "
            + file);
  }

  public ExperimentConfig config() {
    return loaded.config();
  }

  /** The checkpoint a resumed run continues from; null for a new run. */
  public Path resumedFrom() {
    return from == null ? null : from.file();
  }

  /** The run folder of a resumed run before {@link #prepare}, or of any run after it. */
  public Path runDir() {
    return run != null ? run.dir() : resumeDir;
  }

  /** Where the run stands before training: the checkpoint's position, or the start. */
  public TrainingState start() throws IOException {
    return from != null ? from.state() : start;
  }

  /** Whether a resumed run has nothing left to train (all epochs done, or it stopped early). */
  public boolean complete() throws IOException {
    if (from == null) {
      return false;
    }
    TrainingState at = from.state();
    int epochs = config().training().epochs();
    int reached = at.epoch() + (at.stepInEpoch() > 0 ? 1 : 0);
    if (!at.stoppedEarly() && epochs < reached) {
      // the summary would describe weights of another epoch than it says
      throw new RunException(
          from.file()
              + ": the run is "
              + (at.stepInEpoch() > 0
                  ? "in epoch " + reached + " (" + at.stepInEpoch() + " steps done)"
                  : "after epoch " + at.epoch())
              + "; --epochs "
              + epochs
              + " is behind it: give at least "
              + reached);
    }
    return at.stoppedEarly() || (at.epoch() >= epochs && at.stepInEpoch() == 0);
  }

  /**
   * Fetches the data, builds the model and optimizer, creates (or opens) the run folder and writes
   * the resolved config, and for a resumed run restores weights, optimizer state, position, the
   * metrics log up to the checkpoint and the best weights so far.
   *
   * @param log where the data set's messages go (a {@link dev.mlp.data.fetch.TransferListener} also
   *     hears each download's bytes)
   */
  public Experiment prepare(int threads, Consumer<String> log) throws IOException, ConfigException {
    Experiment x = Experiment.prepare(registry, loaded, threads, log);
    ExperimentConfig cfg = x.config();
    if (from != null && !from.dataChecksum().equals(x.data().checksum())) {
      throw new RunException(
          from.file()
              + ": was trained on data with checksum "
              + from.dataChecksum()
              + " but the configured data ("
              + registry.nameOf(cfg.data())
              + ") now gives "
              + x.data().checksum());
    }
    if (from != null) {
      checkPosition(from, x);
    }
    int held = cfg.training().validation();
    if (held >= x.data().train().count()) {
      throw loaded.error(
          "training.validation",
          "holds out "
              + held
              + " samples but "
              + registry.nameOf(cfg.data())
              + " has only "
              + x.data().train().count()
              + " to train on; hold out fewer");
    }
    if (handleSignals) {
      registerSignalHook(); // before the folder exists: a signal now still ends with a checkpoint
    }
    RunFolder folder = from != null ? resumed : RunFolder.create(out, cfg.name());
    String configYaml = new ConfigWriter(registry).toYaml(cfg);
    if (from == null) {
      folder.writeConfig(configYaml);
    } else {
      // with the first checkpoint, which holds the same config: a resume that fails before it
      // leaves config.yaml as it was
      pendingConfig = configYaml;
    }
    info =
        new Checkpoint.Info(
            configYaml,
            cfg.name(),
            x.data().checksum(),
            Mlp.version(),
            x.data().classes(),
            x.data().preprocessing());
    trainer =
        new Trainer(
            x.model(), x.optimizer(), cfg.training(), cfg.seed(), x.kernels(), x.schedule());
    if (signalled) {
      trainer.requestStop(); // a signal came while the trainer was being made
    }
    if (from != null) {
      start = from.state();
      from.loadWeights(x.model());
      from.loadTrainingState(x.model(), x.optimizer());
      List<EpochMetrics> earlier = folder.keepMetricsUpTo(start.steps());
      if (earlier.size() != start.epoch()) {
        throw new RunException(
            folder.metrics()
                + ": has "
                + earlier.size()
                + " epoch lines up to step "
                + start.steps()
                + " but the checkpoint is after epoch "
                + start.epoch());
      }
      float[][] best = null;
      if (start.bestEpoch() > 0 && start.bestEpoch() != start.epoch()) {
        Checkpoint b = Checkpoint.read(folder.best());
        if (b.state().epoch() != start.bestEpoch()) {
          throw new RunException(
              folder.best()
                  + ": holds epoch "
                  + b.state().epoch()
                  + " but the run's best epoch is "
                  + start.bestEpoch());
        }
        best = b.weights(x.model());
      }
      trainer.resume(start, earlier, best);
    }
    experiment = x;
    run = folder;
    return x;
  }

  /**
   * Every number of a checkpoint's position checked against the configured data before anything is
   * written: a damaged or lying file (a step beyond its epoch's end, counts that do not add up)
   * would otherwise train an epoch of no steps and log NaN into the run.
   */
  private static void checkPosition(Checkpoint c, Experiment x) throws IOException {
    TrainingState at = c.state();
    int batch = x.config().training().batchSize();
    long rows = x.data().train().count() - (long) x.config().training().validation();
    long perEpoch = (rows + batch - 1) / batch;
    String problem = null;
    if (at.stepInEpoch() >= perEpoch) {
      problem =
          "step_in_epoch is "
              + at.stepInEpoch()
              + " but an epoch of "
              + rows
              + " samples in batches of "
              + batch
              + " has "
              + perEpoch
              + " steps";
    } else if (at.steps() != at.epoch() * perEpoch + at.stepInEpoch()) {
      problem =
          "step is "
              + at.steps()
              + " but "
              + at.epoch()
              + " epochs of "
              + perEpoch
              + " steps and "
              + at.stepInEpoch()
              + " more make "
              + (at.epoch() * perEpoch + at.stepInEpoch());
    } else if (at.samples() != Math.min(rows, (long) at.stepInEpoch() * batch)) {
      problem =
          "epoch_samples is "
              + at.samples()
              + " but "
              + at.stepInEpoch()
              + " steps of batch "
              + batch
              + " see "
              + Math.min(rows, (long) at.stepInEpoch() * batch);
    } else if (!Double.isFinite(at.lossSum()) || at.lossSum() < 0) {
      problem = "epoch_loss_sum is " + at.lossSum() + ", not a finite sum of losses";
    } else if (at.bestEpoch() > 0 && !Double.isFinite(at.bestAccuracy())) {
      problem = "best_accuracy is " + at.bestAccuracy() + " for best_epoch " + at.bestEpoch();
    } else if (!c.metadata()
        .getOrDefault("optimizer_steps", "")
        .equals(Long.toString(at.steps()))) {
      problem =
          "optimizer_steps is "
              + c.metadata().get("optimizer_steps")
              + " but the run took "
              + at.steps()
              + " steps";
    }
    if (problem != null) {
      throw new RunException(
          c.file() + ": its training position does not fit the configured run: " + problem);
    }
  }

  /** The experiment {@link #prepare} made. */
  public Experiment experiment() {
    return experiment;
  }

  /**
   * How a {@link #train} ended.
   *
   * @param epochs every epoch of the run, resumed ones included
   * @param keptEpoch the epoch whose weights the model holds now (the best with a validation split)
   * @param interrupted whether a stop request ended it; then {@code at} is where it was saved
   * @param checkpoint the checkpoint of the kept weights (best with a validation split, else last),
   *     or of where an interrupted run was saved
   * @param summary the kept weights measured on the test set; null when interrupted
   */
  public record Result(
      List<EpochMetrics> epochs,
      int keptEpoch,
      boolean stoppedEarly,
      boolean interrupted,
      TrainingState at,
      Path checkpoint,
      Summary summary) {

    /** The epoch whose weights were kept. */
    public EpochMetrics kept() {
      return epochs.get(keptEpoch - 1);
    }
  }

  /**
   * Trains to the configured epochs. Each step goes to {@code listener}, and every {@code logEvery}
   * steps (0: never) a step line to the metrics log; each epoch is logged, told to {@code listener}
   * and checkpointed ({@code last}, and {@code best} when the validation figure improved). With
   * {@code stopOnShutdown}, Ctrl-C or SIGTERM stops training after the step it is taking and saves
   * it; the JVM waits up to 60 s for that, until {@link #close}, so the caller can still say where
   * the run was saved.
   *
   * @throws TrainingDivergedException naming the last good checkpoint, which is never overwritten
   *     with diverged weights
   */
  public Result train(TrainingListener listener, int logEvery, boolean stopOnShutdown)
      throws IOException {
    return train(listener, logEvery, stopOnShutdown, line -> {});
  }

  /**
   * {@link #train(TrainingListener, int, boolean)}, with the config's {@code training.callbacks}
   * hearing the run too (after {@code listener}, in their order) and their messages going to {@code
   * messages}.
   */
  public Result train(
      TrainingListener listener, int logEvery, boolean stopOnShutdown, Consumer<String> messages)
      throws IOException {
    if (trainer == null) {
      throw new IllegalStateException("prepare() the session before train()");
    }
    Experiment x = experiment;
    RunFolder folder = run;
    List<TrainingListener> callbacks = new ArrayList<>();
    callbacks.add(listener);
    List<CallbackSpec> specs = config().training().callbacks();
    for (int i = 0; i < specs.size(); i++) {
      callbacks.add(
          registry.callback(
              specs.get(i),
              new CallbackContext(x.model(), messages),
              "training.callbacks[" + i + "]"));
    }
    TrainingListener logging =
        new TrainingListener() {
          @Override
          public void onStep(StepProgress p) {
            for (TrainingListener c : callbacks) {
              c.onStep(p);
            }
            if (logEvery > 0 && p.steps() % logEvery == 0) {
              write(() -> folder.append(StepLine.of(p)));
            }
          }

          @Override
          public void onTrainEnd(Trainer.Outcome outcome) {
            for (TrainingListener c : callbacks) {
              c.onTrainEnd(outcome);
            }
          }

          @Override
          public void onEpoch(EpochMetrics m, boolean improved) {
            for (TrainingListener c : callbacks) {
              c.onEpoch(m, improved);
            }
            write(
                () -> {
                  folder.append(m);
                  writePendingConfig(folder);
                  Checkpoint.save(folder.last(), x.model(), x.optimizer(), trainer.state(), info);
                  if (improved) {
                    Checkpoint.save(folder.best(), x.model(), x.optimizer(), trainer.state(), info);
                  }
                });
          }
        };
    if (stopOnShutdown) {
      registerSignalHook();
    }
    try {
      Trainer.Outcome outcome;
      try {
        folder.cutMetrics(); // a resumed run's log, cut at its checkpoint now that it trains
        outcome = trainer.fit(x.data().train(), x.data().test(), logging);
      } catch (UncheckedIOException e) {
        discardIfNothingSaved(folder);
        throw e.getCause();
      } catch (TrainingDivergedException e) {
        // the diverged weights are never saved: the last checkpoint is the last good one
        if (Files.exists(folder.last())) {
          throw new TrainingDivergedException(
              e.getMessage()
                  + "; kept the last good checkpoint, "
                  + folder.last()
                  + " (epoch "
                  + Checkpoint.read(folder.last()).state().epoch()
                  + ")");
        }
        if (from != null) {
          throw new TrainingDivergedException(
              e.getMessage()
                  + "; nothing was written over "
                  + from.file()
                  + ", the checkpoint this run was resumed from");
        }
        throw new TrainingDivergedException(
            e.getMessage()
                + "; no checkpoint was written"
                + (discardIfNothingSaved(folder)
                    ? " and the run folder was removed"
                    : ", and the run's files were removed from " + folder.dir()));
      } catch (RuntimeException | Error e) {
        discardIfNothingSaved(folder);
        throw e;
      }
      if (outcome.interrupted()) {
        TrainingState at = trainer.state();
        writePendingConfig(folder);
        Checkpoint.save(folder.last(), x.model(), x.optimizer(), at, info);
        return new Result(
            outcome.epochs(), outcome.keptEpoch(), false, true, at, folder.last(), null);
      }
      ExperimentConfig cfg = config();
      // the kept weights on the test set, class by class (the same figures as mlp eval); the
      // evaluation after the last epoch has them when its weights were kept
      Summary summary =
          x.data().test().classification()
              ? Summary.of(
                  cfg.name(),
                  outcome.keptEpoch(),
                  outcome.stoppedEarly(),
                  trainer
                      .lastTestClassification(x.data().test())
                      .orElseGet(
                          () ->
                              ClassificationMetrics.of(
                                  x.model(), x.data().test(), cfg.training().evalBatchSize())),
                  x.data().classes())
              : Summary.of(
                  cfg.name(),
                  outcome.keptEpoch(),
                  outcome.stoppedEarly(),
                  trainer
                      .lastTestRegression(x.data().test())
                      .orElseGet(
                          () ->
                              RegressionMetrics.of(
                                  x.model(), x.data().test(), cfg.training().evalBatchSize())));
      folder.writeSummary(summary);
      boolean best = cfg.training().validation() > 0 && Files.exists(folder.best());
      return new Result(
          outcome.epochs(),
          outcome.keptEpoch(),
          outcome.stoppedEarly(),
          false,
          trainer.state(),
          best ? folder.best() : folder.last(),
          summary);
    } finally {
      folder.close();
    }
  }

  /**
   * Asks {@link #train} to stop at the next step, as Ctrl-C does: a listener that calls it from
   * {@code onEpoch} stops the run at the end of that epoch, saved there (its result is then {@code
   * interrupted}).
   */
  public void requestStop() {
    signalled = true;
    Trainer t = trainer;
    if (t != null) {
      t.requestStop();
    }
  }

  /**
   * Asks that Ctrl-C or SIGTERM stop training after the step it is taking and save it, from the
   * moment {@link #prepare} creates (or opens) the run folder: a signal before the first step
   * (while the header is printed) stops it before that step, still saved, so a new run folder is
   * never left without a checkpoint. A signal while the data loads ends the process at once, before
   * any folder exists. The JVM waits up to 60 s, until {@link #close}. {@link #train} with {@code
   * stopOnShutdown} asks it too.
   */
  public void stopOnShutdown() {
    handleSignals = true;
  }

  /** Registers the shutdown hook {@link #stopOnShutdown} asked for, once. */
  private void registerSignalHook() {
    if (onSignal != null) {
      return;
    }
    onSignal =
        new Thread(
            () -> {
              signalled = true;
              Trainer t = trainer;
              if (t != null) {
                t.requestStop();
              }
              try {
                finished.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "mlp-stop");
    Runtime.getRuntime().addShutdownHook(onSignal);
  }

  /**
   * Lets a JVM that is shutting down (Ctrl-C, SIGTERM during {@link #train}) exit, and removes the
   * shutdown hook otherwise.
   */
  @Override
  public void close() throws IOException {
    finished.countDown();
    if (onSignal != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(onSignal);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook is running and has just been released
      }
      onSignal = null;
    }
    if (run != null) {
      run.unlock();
    }
    if (resumed != null) {
      resumed.unlock();
    }
  }

  private void writePendingConfig(RunFolder folder) throws IOException {
    if (pendingConfig != null) {
      folder.writeConfig(pendingConfig);
      pendingConfig = null;
    }
  }

  /**
   * A new run that ends before its first checkpoint leaves nothing behind (no dead-end folder that
   * can be neither resumed nor trained into again); true if its folder is gone.
   */
  private boolean discardIfNothingSaved(RunFolder folder) throws IOException {
    if (from != null || Files.exists(folder.last())) {
      return false;
    }
    return folder.discard();
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
}
