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
  private int[] batchLabels;

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
  private int bestEpoch;
  private double bestAccuracy = Double.NEGATIVE_INFINITY;
  private int stalled;
  private boolean stoppedEarly;
  private float[][] best;
  private final List<EpochMetrics> history = new ArrayList<>();
  private volatile boolean stopRequested;

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
    bestEpoch = state.bestEpoch();
    bestAccuracy = state.bestAccuracy();
    stalled = state.stalled();
    stoppedEarly = state.stoppedEarly();
    history.clear();
    history.addAll(earlier);
    best = bestWeights == null ? null : snapshotOf(bestWeights);
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
        bestEpoch,
        bestAccuracy,
        stalled,
        stoppedEarly);
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

    while (!stoppedEarly && epochsDone < spec.epochs()) {
      int epoch = epochsDone + 1;
      EpochStats stats = trainEpoch(train, trainIdx, epoch, listener);
      if (stats == null) {
        return new Outcome(List.copyOf(history), history.size(), false, true);
      }
      long evalStart = System.nanoTime();
      Evaluation eval = evaluate(test);
      double evalSeconds = (System.nanoTime() - evalStart) / 1e9;
      Evaluation valid = held > 0 ? evaluate(model, train, validIdx, spec.evalBatchSize()) : null;
      EpochMetrics m =
          new EpochMetrics(
              epoch,
              steps,
              stats.loss(),
              stats.accuracy(),
              eval.loss(),
              eval.accuracy(),
              stats.seconds(),
              evalSeconds,
              optimizer.learningRate(),
              valid == null ? Double.NaN : valid.loss(),
              valid == null ? Double.NaN : valid.accuracy());
      history.add(m);
      epochsDone = epoch;
      stepInEpoch = 0;
      totals.clear();
      boolean improved = false;
      if (valid != null) {
        double minDelta = spec.earlyStopping() == null ? 0 : spec.earlyStopping().minDelta();
        if (valid.accuracy() > bestAccuracy + minDelta || bestEpoch == 0) {
          bestAccuracy = valid.accuracy();
          bestEpoch = epoch;
          best = snapshot(best);
          stalled = 0;
          improved = true;
        } else if (spec.earlyStopping() != null && ++stalled >= spec.earlyStopping().patience()) {
          stoppedEarly = true;
        }
      }
      checkFinite(epoch);
      listener.onEpoch(m, improved);
    }
    int kept = history.size();
    if (best != null && bestEpoch != kept) {
      restore(best);
      kept = bestEpoch;
    }
    return new Outcome(List.copyOf(history), kept, stoppedEarly, false);
  }

  /**
   * Before an epoch's weights are handed on (to a checkpoint): every parameter finite. A NaN from
   * the epoch's last step would otherwise reach disk before any loss showed it.
   */
  private void checkFinite(int epoch) {
    List<Parameter> params = model.parameters();
    for (int i = 0; i < params.size(); i++) {
      float[] w = params.get(i).value().data();
      for (int j = 0, n = params.get(i).size(); j < n; j++) {
        if (!Float.isFinite(w[j])) {
          throw new TrainingDivergedException(
              "parameter "
                  + params.get(i).name()
                  + " ("
                  + i
                  + ") holds "
                  + w[j]
                  + " after epoch "
                  + epoch
                  + ", step "
                  + steps
                  + ": training diverged; the learning rate is likely too high");
        }
      }
    }
  }

  private float[][] snapshotOf(float[][] weights) {
    float[][] copy = new float[weights.length][];
    for (int i = 0; i < weights.length; i++) {
      copy[i] = weights[i].clone();
    }
    return copy;
  }

  private float[][] snapshot(float[][] into) {
    List<Parameter> params = model.parameters();
    float[][] copy = into != null ? into : new float[params.size()][];
    for (int i = 0; i < params.size(); i++) {
      float[] v = params.get(i).value().data();
      if (copy[i] == null) {
        copy[i] = new float[params.get(i).size()];
      }
      System.arraycopy(v, 0, copy[i], 0, copy[i].length);
    }
    return copy;
  }

  private void restore(float[][] saved) {
    List<Parameter> params = model.parameters();
    for (int i = 0; i < params.size(); i++) {
      System.arraycopy(saved[i], 0, params.get(i).value().data(), 0, saved[i].length);
    }
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
      loss.setTargets(batchLabels);
      model.forward(batch, Mode.TRAIN);
      double batchLoss = loss.loss();
      if (!(batchLoss <= loss.divergenceBound())) { // NaN fails every comparison
        String input = nonFiniteInput(train, order, from, rows, d);
        if (input != null) {
          throw new TrainingDivergedException(
              "loss became "
                  + batchLoss
                  + " at epoch "
                  + epoch
                  + ", step "
                  + (steps + 1)
                  + ": "
                  + input);
        }
        throw new TrainingDivergedException(
            "loss became "
                + (Double.isFinite(batchLoss) ? String.format("%.6g", batchLoss) : batchLoss)
                + (Double.isFinite(batchLoss)
                    ? " (above " + loss.divergenceBound() + ", where a model has blown up)"
                    : "")
                + " at epoch "
                + epoch
                + ", step "
                + (steps + 1)
                + ": training diverged; the learning rate ("
                + (float) optimizer.learningRate()
                + ") is likely too high"
                + (spec.clipNorm() == null ? " (or set training.clip_norm)" : ""));
      }
      long correct = countCorrect(loss.output(), batchLabels, rows);
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
                (double) totals.correct / totals.samples,
                optimizer.learningRate()));
      }
    }
    return new EpochStats(
        totals.lossSum / totals.samples,
        (double) totals.correct / totals.samples,
        totals.steps,
        (System.nanoTime() - start) / 1e9);
  }

  /** Which sample of the batch holds a NaN or infinite feature, if one does. */
  private static String nonFiniteInput(Dataset data, int[] order, int from, int rows, int d) {
    float[] x = data.features();
    for (int r = 0; r < rows; r++) {
      int sample = order[from + r];
      for (int j = 0; j < d; j++) {
        if (!Float.isFinite(x[sample * d + j])) {
          return "sample "
              + sample
              + " of "
              + data.name()
              + " holds "
              + x[sample * d + j]
              + " at feature "
              + j
              + "; the data, not the training, is broken";
        }
      }
    }
    return null;
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
    kernels.gatherRows(data.features(), order, from, rows, d, batch.data());
    int[] labels = data.labels();
    for (int r = 0; r < rows; r++) {
      batchLabels[r] = labels[order[from + r]];
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
