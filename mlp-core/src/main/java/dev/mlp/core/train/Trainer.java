package dev.mlp.core.train;

import dev.mlp.core.config.TrainingSpec;
import dev.mlp.core.data.Dataset;
import dev.mlp.core.nn.Loss;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.Parameter;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.optim.Optimizer;
import dev.mlp.core.random.Rng;
import dev.mlp.core.schedule.Schedule;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The training loop: epochs of shuffled mini-batches, forward, backward, optimizer step; a test
 * pass after every epoch. The sample order of epoch e depends only on (seed, e), so a run is
 * repeatable and can be resumed mid-way. Allocates nothing per step once the first batch has run.
 */
public final class Trainer {
  private final Sequential model;
  private final Optimizer optimizer;
  private final TrainingSpec spec;
  private final long seed;
  private final Kernels kernels;
  private final Schedule schedule;

  private Tensor batch;
  private Tensor evalInput;
  private int[] batchLabels;
  private Tensor batchValues;
  private final BestEpoch bestEpoch;

  public Trainer(Sequential model, Optimizer optimizer, TrainingSpec spec, long seed) {
    this(model, optimizer, spec, seed, Kernels.defaults());
  }

  /**
   * @param kernels the kernels the model computes with; the trainer gathers each batch with them
   */
  public Trainer(
      Sequential model, Optimizer optimizer, TrainingSpec spec, long seed, Kernels kernels) {
    this(model, optimizer, spec, seed, kernels, (epoch, total) -> 1);
  }

  /**
   * @param schedule the learning-rate schedule of {@code spec.schedule()}, built by its factory
   */
  public Trainer(
      Sequential model,
      Optimizer optimizer,
      TrainingSpec spec,
      long seed,
      Kernels kernels,
      Schedule schedule) {
    this.schedule = schedule;
    this.kernels = kernels;
    this.model = model;
    this.optimizer = optimizer;
    this.spec = spec;
    this.seed = seed;
    this.bestEpoch = new BestEpoch(model, spec.earlyStopping());
  }

  /**
   * What {@link #fit} ended with: every epoch, the epoch whose weights the model now has, and
   * whether early stopping or a {@link #requestStop() stop request} ended it.
   */
  public record Outcome(
      List<EpochMetrics> epochs, int keptEpoch, boolean stoppedEarly, boolean interrupted) {}

  // where the run stands (see TrainingState)
  private int epochsDone;
  private int stepInEpoch;
  private long steps;
  private final EpochTotals totals = new EpochTotals();
  private final List<EpochMetrics> history = new ArrayList<>();
  private volatile boolean stopRequested;

  // the test set's full figures after the last epoch, while the model still has its weights
  private Object lastTest;
  private Dataset lastTestSet;
  private long lastTestWeights; // weightsHash() when they were measured

  /**
   * Trains for the configured epochs, calling {@code onEpoch} after each. With {@code
   * training.validation}, that many training samples (a seeded choice) are held out and evaluated
   * after every epoch; the weights of the epoch with the best validation accuracy are restored at
   * the end, and {@code early_stopping} ends training when it stalls. The test set is only ever
   * reported, never used to choose.
   */
  public List<EpochMetrics> fit(Dataset train, Dataset test, Consumer<EpochMetrics> onEpoch) {
    return fitKeepingBest(train, test, onEpoch).epochs();
  }

  /** {@link #fit}, also saying which epoch's weights were kept. */
  public Outcome fitKeepingBest(Dataset train, Dataset test, Consumer<EpochMetrics> onEpoch) {
    return fit(
        train,
        test,
        new TrainingListener() {
          @Override
          public void onEpoch(EpochMetrics metrics, boolean improved) {
            onEpoch.accept(metrics);
          }
        });
  }

  /**
   * Continues the run from {@code state} instead of its start: the model and optimizer must already
   * hold the checkpoint's weights and state. {@code earlier} are the metrics of the completed
   * epochs, {@code bestWeights} the parameters of epoch {@code state.bestEpoch()} (null if none or
   * if it is the current one). Together they make the resumed run end exactly as the uninterrupted
   * one would have.
   */
  public void resume(TrainingState state, List<EpochMetrics> earlier, float[][] bestWeights) {
    if (earlier.size() != state.epoch()) {
      throw new IllegalArgumentException(
          "the state is after epoch " + state.epoch() + " but " + earlier.size() + " epochs given");
    }
    epochsDone = state.epoch();
    stepInEpoch = state.stepInEpoch();
    steps = state.steps();
    totals.lossSum = state.lossSum();
    totals.correct = state.correct();
    totals.samples = state.samples();
    totals.steps = state.stepInEpoch();
    bestEpoch.resume(state, bestWeights);
    history.clear();
    history.addAll(earlier);
  }

  /** Where the run stands now (after the last completed step). */
  public TrainingState state() {
    return new TrainingState(
        epochsDone,
        stepInEpoch,
        steps,
        totals.lossSum,
        totals.correct,
        totals.samples,
        bestEpoch.bestEpoch(),
        bestEpoch.bestScore(),
        bestEpoch.stalled(),
        bestEpoch.stoppedEarly());
  }

  /**
   * Asks a running {@link #fit} to stop after the step it is taking (from any thread, e.g. a signal
   * handler); fit then returns with {@code interrupted} and {@link #state()} at that step.
   */
  public void requestStop() {
    stopRequested = true;
  }

  /** {@link #fit(Dataset, Dataset, Consumer)} with a listener that hears steps too. */
  public Outcome fit(Dataset train, Dataset test, TrainingListener listener) {
    checkWidth(train);
    checkWidth(test);
    int held = spec.validation();
    if (held >= train.count()) {
      throw new IllegalArgumentException(
          "training.validation is "
              + held
              + " but the training set has only "
              + train.count()
              + " samples");
    }
    int[] all = new int[train.count()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    if (held > 0) {
      Rng.derive(seed, "validation").shuffle(all);
    }
    int[] trainIdx = java.util.Arrays.copyOfRange(all, held, all.length);
    java.util.Arrays.sort(trainIdx); // epoch orders start from the same list whatever the split
    int[] validIdx = java.util.Arrays.copyOfRange(all, 0, held);
    java.util.Arrays.sort(validIdx);

    while (!bestEpoch.stoppedEarly() && epochsDone < spec.epochs()) {
      int epoch = epochsDone + 1;
      EpochStats stats = trainEpoch(train, trainIdx, epoch, listener);
      if (stats == null) {
        return new Outcome(List.copyOf(history), history.size(), false, true);
      }
      long evalStart = System.nanoTime();
      Map<String, Double> tested = measureTest(test);
      double evalSeconds = (System.nanoTime() - evalStart) / 1e9;
      Map<String, Double> validated = held > 0 ? measure(train, validIdx) : Map.of();
      Map<String, Double> trained =
          train.classification()
              ? EpochMetrics.lossAndAccuracy(stats.loss(), stats.accuracy())
              : Map.of(EpochMetrics.LOSS, stats.loss());
      EpochMetrics m =
          new EpochMetrics(
              epoch,
              steps,
              trained,
              tested,
              validated,
              optimizer.learningRate(),
              stats.seconds(),
              evalSeconds);
      history.add(m);
      epochsDone = epoch;
      stepInEpoch = 0;
      totals.clear();
      boolean improved = bestEpoch.improved(m);
      Divergence.checkWeights(model, epoch, steps);
      listener.onEpoch(m, improved);
    }
    int kept = bestEpoch.keep(history.size());
    Outcome outcome = new Outcome(List.copyOf(history), kept, bestEpoch.stoppedEarly(), false);
    listener.onTrainEnd(outcome);
    return outcome;
  }

  /**
   * The figures of all of {@code data} in evaluation mode, by its task: loss and accuracy of a
   * classifier, loss, MAE, RMSE and R² of a regressor.
   */
  public Map<String, Double> measure(Dataset data) {
    return measure(data, all(data.count()));
  }

  /**
   * The figures of the samples {@code indices} of {@code data} in evaluation mode: loss and
   * accuracy of a classifier, loss, MAE, RMSE and R² of a regressor.
   */
  private Map<String, Double> measure(Dataset data, int[] indices) {
    if (data.classification()) {
      ClassificationMetrics m =
          ClassificationMetrics.of(
              model, data, indices, spec.evalBatchSize(), kernels, evalInput(data, indices));
      return EpochMetrics.lossAndAccuracy(m.loss(), m.accuracy());
    }
    return RegressionMetrics.of(
            model, data, indices, spec.evalBatchSize(), kernels, evalInput(data, indices))
        .measures();
  }

  /**
   * The buffer an evaluation of {@code indices} of {@code data} gathers its batches into: one kept
   * for all of them (an evaluation batch of MNIST is 3 MB, zeroed anew every epoch otherwise).
   */
  private Tensor evalInput(Dataset data, int[] indices) {
    int rows = Math.max(1, Math.min(spec.evalBatchSize(), indices.length));
    evalInput = Tensor.reuse(evalInput, rows, data.featureSize());
    return evalInput;
  }

  /**
   * {@link #measure(Dataset)} of the test set after an epoch, keeping its full figures for {@link
   * #lastTestClassification} and {@link #lastTestRegression}.
   */
  private Map<String, Double> measureTest(Dataset test) {
    int[] all = all(test.count());
    Map<String, Double> figures;
    if (test.classification()) {
      ClassificationMetrics m =
          ClassificationMetrics.of(
              model, test, all, spec.evalBatchSize(), kernels, evalInput(test, all));
      lastTest = m;
      figures = EpochMetrics.lossAndAccuracy(m.loss(), m.accuracy());
    } else {
      RegressionMetrics m =
          RegressionMetrics.of(
              model, test, all, spec.evalBatchSize(), kernels, evalInput(test, all));
      lastTest = m;
      figures = m.measures();
    }
    lastTestSet = test;
    lastTestWeights = weightsHash();
    return figures;
  }

  /**
   * The classifier's full figures of {@code test} for the weights the model holds now, as {@link
   * ClassificationMetrics#of(Sequential, Dataset, int)} with the evaluation batch size measures
   * them, when the evaluation after the last epoch of {@link #fit} already did: the same data set,
   * and the model still has that epoch's weights, bit for bit (no earlier best epoch restored, no
   * step, no callback's change since). Saves evaluating the test set twice at the end of a
   * training. Empty otherwise: then measure it. The figures are the trainer's own: read them, do
   * not {@code add} to them.
   */
  public Optional<ClassificationMetrics> lastTestClassification(Dataset test) {
    return lastTest instanceof ClassificationMetrics m && measuredNow(test)
        ? Optional.of(m)
        : Optional.empty();
  }

  /** {@link #lastTestClassification} for a regressor. */
  public Optional<RegressionMetrics> lastTestRegression(Dataset test) {
    return lastTest instanceof RegressionMetrics m && measuredNow(test)
        ? Optional.of(m)
        : Optional.empty();
  }

  /**
   * Whether the kept test figures are of {@code test} and of the weights the model has now, bit for
   * bit, through a hash (about 0.1 ms for the seed's 100,000): whatever changed them since — a
   * step, an earlier best epoch restored, a resume, a callback ("changing them changes the run") —
   * the figures are measured again.
   */
  private boolean measuredNow(Dataset test) {
    return lastTest != null && test == lastTestSet && weightsHash() == lastTestWeights;
  }

  /** A 64-bit hash of every weight's bits, in order. */
  private long weightsHash() {
    long h = 1;
    for (Parameter p : model.parameters()) {
      float[] v = p.value().data();
      int n = p.value().size();
      for (int i = 0; i < n; i++) {
        h = (h ^ Float.floatToRawIntBits(v[i])) * 0x9E3779B97F4A7C15L;
      }
      h = (h ^ n) * 0x9E3779B97F4A7C15L;
    }
    return h;
  }

  private static int[] all(int n) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    return all;
  }

  private void checkWidth(Dataset data) {
    if (data.featureSize() != model.inputSize()) {
      throw new IllegalArgumentException(
          data.name()
              + " has "
              + data.featureSize()
              + " features per sample but the model expects "
              + model.inputSize());
    }
  }

  /** What one epoch of training measured: running mean loss and accuracy, steps, seconds. */
  public record EpochStats(double loss, double accuracy, long steps, double seconds) {}

  private static final class EpochTotals {
    double lossSum;
    long correct;
    long samples;
    long steps;

    void clear() {
      lossSum = 0;
      correct = 0;
      samples = 0;
      steps = 0;
    }
  }

  /**
   * One epoch of training (no test pass): epoch {@code epoch}'s shuffled order, every batch
   * forward, backward and one optimizer step.
   *
   * @param stepsBefore steps taken before this epoch, for error messages
   */
  public EpochStats trainEpoch(Dataset train, int epoch, long stepsBefore) {
    int[] all = new int[train.count()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    checkWidth(train);
    steps = stepsBefore;
    stepInEpoch = 0;
    totals.clear();
    return trainEpoch(train, all, epoch, NO_LISTENER);
  }

  private static final TrainingListener NO_LISTENER = new TrainingListener() {};

  /**
   * Trains epoch {@code epoch} from step {@link #stepInEpoch} on (0, or where a resumed run
   * stopped); null if a stop was requested before the epoch ended.
   */
  private EpochStats trainEpoch(
      Dataset train, int[] samples, int epoch, TrainingListener listener) {
    long start = System.nanoTime();
    int n = samples.length;
    int[] order = samples.clone();
    if (spec.shuffle()) {
      Rng.derive(seed, "shuffle", epoch).shuffle(order);
    }
    int d = train.featureSize();
    int batchSize = spec.batchSize();
    Loss loss = model.loss();
    int stepsPerEpoch = (n + batchSize - 1) / batchSize;
    double warmup = spec.schedule() == null ? 0 : spec.schedule().warmupEpochs();
    for (int s = stepInEpoch, from = s * batchSize; from < n; from += batchSize, s++) {
      if (stopRequested) {
        return null;
      }
      int rows = Math.min(batchSize, n - from);
      // the schedule sees the progress before this step, the warm-up counts this step in
      double progress = epoch - 1 + (double) s / stepsPerEpoch;
      double factor = schedule.factor(progress, spec.epochs());
      if (warmup > 0 && progress < warmup) {
        factor *= Math.min(1, (progress + 1.0 / stepsPerEpoch) / warmup);
      }
      optimizer.setLearningRateFactor(factor);
      gather(train, order, from, rows, d);
      if (train.classification()) {
        loss.setTargets(batchLabels);
      } else {
        loss.setTargetValues(batchValues);
      }
      model.forward(batch, Mode.TRAIN);
      double batchLoss = loss.loss();
      Divergence.checkLoss(
          batchLoss,
          loss,
          train,
          order,
          from,
          rows,
          epoch,
          steps + 1,
          optimizer.learningRate(),
          spec.clipNorm() != null);
      long correct = train.classification() ? countCorrect(loss.output(), batchLabels, rows) : 0;
      model.backward();
      if (spec.clipNorm() != null) {
        clipGradients(spec.clipNorm());
      }
      optimizer.step(model.parameters());
      totals.lossSum += batchLoss * rows;
      totals.correct += correct;
      totals.samples += rows;
      totals.steps++;
      steps++;
      stepInEpoch = s + 1;
      if (listener != NO_LISTENER) {
        listener.onStep(
            new TrainingListener.StepProgress(
                epoch,
                stepInEpoch,
                stepsPerEpoch,
                steps,
                totals.samples,
                totals.lossSum / totals.samples,
                train.classification() ? (double) totals.correct / totals.samples : Double.NaN,
                optimizer.learningRate()));
      }
    }
    return new EpochStats(
        totals.lossSum / totals.samples,
        train.classification() ? (double) totals.correct / totals.samples : Double.NaN,
        totals.steps,
        (System.nanoTime() - start) / 1e9);
  }

  /**
   * Gradient clipping by global norm: if ‖g‖ over every parameter's gradient exceeds {@code max},
   * every gradient is scaled by max/‖g‖ (the direction is kept). Returns the norm before.
   */
  public double clipGradients(double max) {
    List<Parameter> params = model.parameters();
    double sq = 0;
    for (int i = 0, n = params.size(); i < n; i++) {
      float[] g = params.get(i).grad().data();
      for (int j = 0, size = params.get(i).size(); j < size; j++) {
        sq += (double) g[j] * g[j];
      }
    }
    double norm = Math.sqrt(sq);
    if (norm > max) {
      float scale = (float) (max / norm);
      for (int i = 0, n = params.size(); i < n; i++) {
        float[] g = params.get(i).grad().data();
        for (int j = 0, size = params.get(i).size(); j < size; j++) {
          g[j] *= scale;
        }
      }
    }
    return norm;
  }

  private void gather(Dataset data, int[] order, int from, int rows, int d) {
    batch = Tensor.reuse(batch, rows, d);
    if (batchLabels == null || batchLabels.length < spec.batchSize()) {
      batchLabels = new int[spec.batchSize()];
    }
    data.gatherRows(kernels, order, from, rows, batch.data());
    if (data.classification()) {
      int[] labels = data.labels();
      for (int r = 0; r < rows; r++) {
        batchLabels[r] = labels[order[from + r]];
      }
    } else {
      int k = data.numClasses();
      batchValues = Tensor.reuse(batchValues, rows, k);
      for (int r = 0; r < rows; r++) {
        System.arraycopy(data.targets(), order[from + r] * k, batchValues.data(), r * k, k);
      }
    }
  }

  /** Mean loss and accuracy over {@code data}, in evaluation mode, in fixed-size batches. */
  public Evaluation evaluate(Dataset data) {
    return evaluate(model, data, spec.evalBatchSize());
  }

  /** Mean loss and accuracy of {@code model} over {@code data}, in evaluation mode. */
  public static Evaluation evaluate(Sequential model, Dataset data, int batchSize) {
    int[] all = new int[data.count()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return evaluate(model, data, all, batchSize);
  }

  /** Mean loss and accuracy of {@code model} over the samples {@code indices} of {@code data}. */
  static Evaluation evaluate(Sequential model, Dataset data, int[] indices, int batchSize) {
    ClassificationMetrics m = ClassificationMetrics.of(model, data, indices, batchSize);
    return new Evaluation(m.loss(), m.accuracy(), indices.length);
  }

  /** Rows whose largest output (first one on ties) is at the label's index. */
  static long countCorrect(Tensor output, int[] labels, int rows) {
    int c = output.cols();
    long correct = 0;
    for (int r = 0; r < rows; r++) {
      if (argmax(output.data(), r * c, c) == labels[r]) {
        correct++;
      }
    }
    return correct;
  }

  /** Index (from {@code from}) of the largest of {@code length} values; the first one on ties. */
  static int argmax(float[] values, int from, int length) {
    int best = 0;
    float max = values[from];
    for (int j = 1; j < length; j++) {
      if (values[from + j] > max) {
        max = values[from + j];
        best = j;
      }
    }
    return best;
  }
}
