package dev.mlp.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlp.core.config.EarlyStopping;
import dev.mlp.core.config.TrainingSpec;
import dev.mlp.core.data.Dataset;
import dev.mlp.core.nn.Layer;
import dev.mlp.core.nn.Loss;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.Parameter;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.nn.ToyLayers.Affine;
import dev.mlp.core.nn.ToyLayers.HalfSquaredError;
import dev.mlp.core.optim.Optimizer;
import dev.mlp.core.optim.Sgd;
import dev.mlp.core.random.Rng;
import dev.mlp.core.schedule.ScheduleSpecs;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The training loop on a toy model (y = a⊙x + b under a half squared error): what it measures,
 * which samples it trains and validates on, when it stops and what it keeps. mlp-layers'
 * TrainerTest trains real networks.
 */
class TrainerTest {
  /** n samples of 3 features, class c shifted by 1.5 along feature c. */
  static Dataset points(String name, int n, long seed) {
    Rng rng = new Rng(seed);
    float[] x = new float[n * 3];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = rng.nextInt(3);
      for (int j = 0; j < 3; j++) {
        x[i * 3 + j] = (float) (rng.nextGaussian() * 0.7 + (j == y[i] ? 1.5 : 0));
      }
    }
    return new Dataset(name, x, y, 3, 3);
  }

  static Sequential toy(long seed) {
    return new Sequential(List.of(new Affine(3, new Rng(seed)), new HalfSquaredError(3)));
  }

  static float[][] weights(Sequential model) {
    return model.parameters().stream().map(p -> p.value().toArray()).toArray(float[][]::new);
  }

  static Dataset subset(Dataset d, int[] rows) {
    float[] x = new float[rows.length * d.featureSize()];
    int[] y = new int[rows.length];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(
          d.features(), rows[r] * d.featureSize(), x, r * d.featureSize(), d.featureSize());
      y[r] = d.labels()[rows[r]];
    }
    return new Dataset(d.name(), x, y, d.featureSize(), d.numClasses());
  }

  @Test
  void countCorrectComparesEachRowsLargestOutputWithItsLabel() {
    Tensor out = Tensor.of(3, 3, 0.1f, 0.7f, 0.2f, 0.5f, 0.5f, 0f, 0f, 0f, 1f);
    // argmax per row: 1, 0 (the first of a tie), 2
    assertThat(Trainer.countCorrect(out, new int[] {1, 0, 2}, 3)).isEqualTo(3);
    assertThat(Trainer.countCorrect(out, new int[] {1, 1, 0}, 3)).isEqualTo(1);
    assertThat(Trainer.countCorrect(out, new int[] {0, 0, 2}, 2)).as("two rows").isEqualTo(1);
    assertThat(Trainer.argmax(new float[] {9, 1, 3, 3}, 1, 3)).isEqualTo(1);
  }

  @Test
  void theEpochFiguresAreMeansOverTheSamplesOfTheEpoch() {
    Sequential model = toy(1);
    Dataset train = points("train", 100, 1);
    Dataset test = points("test", 30, 2);
    List<TrainingListener.StepProgress> progress = new ArrayList<>();
    // a rate too small to move a weight: every batch sees the same model
    Trainer trainer = new Trainer(model, new Sgd(1e-30), new TrainingSpec(1, 16, true, 64), 3);
    long before = System.nanoTime();
    List<EpochMetrics> epochs =
        trainer
            .fit(
                train,
                test,
                new TrainingListener() {
                  @Override
                  public void onStep(StepProgress p) {
                    progress.add(p);
                  }
                })
            .epochs();
    double wall = (System.nanoTime() - before) / 1e9;
    EpochMetrics m = epochs.get(0);
    Evaluation onTrain = Trainer.evaluate(model, train, 1000);
    assertThat(m.loss()).isCloseTo(onTrain.loss(), within(1e-9));
    assertThat(m.trainAccuracy()).isEqualTo(onTrain.accuracy());
    Evaluation onTest = Trainer.evaluate(model, test, 7);
    assertThat(m.testLoss()).isCloseTo(onTest.loss(), within(1e-9));
    assertThat(m.testAccuracy()).isEqualTo(onTest.accuracy());
    assertThat(m.steps()).isEqualTo(7); // 100 samples in batches of 16
    assertThat(m.learningRate()).isEqualTo((double) 1e-30f);
    // times in seconds, each within the call's own: no bound on speed, so never flaky
    assertThat(m.seconds()).isBetween(0.0, wall);
    assertThat(m.evalSeconds()).isBetween(0.0, wall);
    assertThat(m.hasValidation()).isFalse();
    assertThat(m.validationLoss()).isNaN();

    assertThat(progress)
        .extracting(TrainingListener.StepProgress::stepInEpoch)
        .containsExactly(1, 2, 3, 4, 5, 6, 7);
    assertThat(progress)
        .extracting(TrainingListener.StepProgress::samplesInEpoch)
        .containsExactly(16L, 32L, 48L, 64L, 80L, 96L, 100L);
    TrainingListener.StepProgress last = progress.get(6);
    assertThat(last.stepsPerEpoch()).isEqualTo(7);
    assertThat(last.steps()).isEqualTo(7);
    assertThat(last.runningLoss()).isEqualTo(m.loss());
    assertThat(last.runningAccuracy()).isEqualTo(m.trainAccuracy());
    assertThat(last.epoch()).isEqualTo(1);
  }

  @Test
  void aValidationSplitIsASeededChoiceAndTrainingUsesTheRestInIndexOrder() {
    long seed = 5;
    int held = 20;
    Dataset all = points("all", 120, 1);
    Dataset test = points("test", 30, 2);
    // what the trainer should hold out: the first 20 of the seeded shuffle, both parts in order
    int[] order = IntStream.range(0, 120).toArray();
    Rng.derive(seed, "validation").shuffle(order);
    int[] valid = Arrays.copyOfRange(order, 0, held);
    int[] rest = Arrays.copyOfRange(order, held, 120);
    Arrays.sort(valid);
    Arrays.sort(rest);
    Dataset validSet = subset(all, valid);

    Sequential a = toy(2);
    List<float[][]> weightsA = new ArrayList<>();
    List<EpochMetrics> epochsA =
        new Trainer(
                a, new Sgd(0.1), new TrainingSpec(3, 16, true, 64, null, null, held, null), seed)
            .fit(all, test, m -> weightsA.add(weights(a)));

    Sequential b = toy(2);
    List<float[][]> weightsB = new ArrayList<>();
    List<Evaluation> validB = new ArrayList<>();
    new Trainer(b, new Sgd(0.1), new TrainingSpec(3, 16, true, 64), seed)
        .fit(
            subset(all, rest),
            test,
            m -> {
              weightsB.add(weights(b));
              validB.add(Trainer.evaluate(b, validSet, 64));
            });

    for (int e = 0; e < 3; e++) {
      for (int p = 0; p < weightsA.get(e).length; p++) {
        assertThat(weightsA.get(e)[p]).as("epoch %d", e + 1).containsExactly(weightsB.get(e)[p]);
      }
      assertThat(epochsA.get(e).validationLoss()).isEqualTo(validB.get(e).loss());
      assertThat(epochsA.get(e).validationAccuracy()).isEqualTo(validB.get(e).accuracy());
      assertThat(epochsA.get(e).hasValidation()).isTrue();
    }
  }

  @Test
  void withoutValidationTheLastEpochIsKeptAndTheStateIsAtTheEpochBoundary() {
    Sequential model = toy(1);
    List<Boolean> improved = new ArrayList<>();
    Trainer trainer = new Trainer(model, new Sgd(0.1), new TrainingSpec(3, 16, true, 64), 3);
    Trainer.Outcome o =
        trainer.fit(
            points("train", 40, 1),
            points("test", 10, 2),
            new TrainingListener() {
              @Override
              public void onEpoch(EpochMetrics metrics, boolean better) {
                improved.add(better);
              }
            });
    assertThat(o.keptEpoch()).isEqualTo(3);
    assertThat(o.stoppedEarly()).isFalse();
    assertThat(o.interrupted()).isFalse();
    assertThat(improved).containsExactly(false, false, false);
    assertThat(trainer.state())
        .isEqualTo(new TrainingState(3, 0, 9, 0, 0, 0, 0, Double.NEGATIVE_INFINITY, 0, false));
  }

  @Test
  void theLastEpochsTestFiguresServeTheSummaryWhenItsWeightsAreKept() {
    Sequential model = toy(1);
    Dataset test = points("test", 50, 2);
    Trainer trainer = new Trainer(model, new Sgd(0.1), new TrainingSpec(3, 16, true, 16), 3);
    assertThat(trainer.lastTestClassification(test)).isEmpty();
    trainer.fit(points("train", 40, 1), test, new TrainingListener() {});

    ClassificationMetrics kept = trainer.lastTestClassification(test).orElseThrow();
    ClassificationMetrics measured = ClassificationMetrics.of(model, test, 16);
    assertThat(kept.confusionMatrix()).isDeepEqualTo(measured.confusionMatrix());
    assertThat(kept.loss()).isEqualTo(measured.loss());
    assertThat(trainer.lastTestRegression(test)).isEmpty();
    assertThat(trainer.lastTestClassification(points("test", 50, 2)))
        .as("another data set, even with the same samples")
        .isEmpty();
  }

  @Test
  void noTestFiguresAreKeptWhenACallbackChangedTheWeightsAfterTheTestPass() {
    Sequential model = toy(1);
    Dataset test = points("test", 50, 2);
    Trainer trainer = new Trainer(model, new Sgd(0.1), new TrainingSpec(2, 16, true, 16), 3);
    trainer.fit(
        points("train", 40, 1),
        test,
        new TrainingListener() {
          @Override
          public void onEpoch(EpochMetrics metrics, boolean better) {
            model.parameters().get(0).value().data()[0] += 0.5f; // as a plugin callback may
          }
        });
    assertThat(trainer.lastTestClassification(test)).isEmpty();
  }

  @Test
  void noTestFiguresAreKeptWhenAnEarlierBestEpochIsRestored() {
    Affine layer = new Affine(3, new Rng(1));
    Sequential model = new Sequential(List.<Layer>of(layer, new Scripted(0.3, 0.8, 0.4)));
    TrainingSpec spec = new TrainingSpec(3, 10, true, 1000, null, null, 10, null);
    Trainer trainer = new Trainer(model, new Counter(), spec, 1);
    Dataset test = points("test", 10, 2);
    Trainer.Outcome o = trainer.fit(points("train", 40, 1), test, new TrainingListener() {});
    assertThat(o.keptEpoch()).isEqualTo(2);
    assertThat(trainer.lastTestClassification(test))
        .as("the figures after epoch 3 are not those of the weights of epoch 2")
        .isEmpty();
  }

  @Test
  void dataOfAnotherWidthIsRefusedWithItsName() {
    Trainer trainer = new Trainer(toy(1), new Sgd(0.1), new TrainingSpec(1, 16, true, 64), 3);
    Dataset wide = new Dataset("wide", new float[8], new int[2], 4, 3);
    Dataset ok = points("ok", 10, 1);
    assertThatThrownBy(() -> trainer.fit(wide, ok, m -> {}))
        .hasMessage("wide has 4 features per sample but the model expects 3");
    assertThatThrownBy(() -> trainer.fit(ok, wide, m -> {}))
        .hasMessage("wide has 4 features per sample but the model expects 3");
    assertThatThrownBy(() -> trainer.trainEpoch(wide, 1, 0))
        .hasMessage("wide has 4 features per sample but the model expects 3");
  }

  @Test
  void testDataOfAnotherWidthIsRefusedBeforeAnyTraining() {
    List<TrainingListener.StepProgress> steps = new ArrayList<>();
    Trainer trainer = new Trainer(toy(1), new Sgd(0.1), new TrainingSpec(1, 16, true, 64), 3);
    Dataset wide = new Dataset("wide", new float[8], new int[2], 4, 3);
    assertThatThrownBy(
            () ->
                trainer.fit(
                    points("ok", 10, 1),
                    wide,
                    new TrainingListener() {
                      @Override
                      public void onStep(StepProgress p) {
                        steps.add(p);
                      }
                    }))
        .hasMessage("wide has 4 features per sample but the model expects 3");
    assertThat(steps).isEmpty();
  }

  @Test
  void anEpochTrainedOnItsOwnIsTheSameAsTheFirstEpochOfARun() {
    Dataset train = points("train", 40, 1);
    Sequential a = toy(1);
    new Trainer(a, new Sgd(0.1), new TrainingSpec(1, 16, true, 64), 3)
        .fit(train, points("test", 10, 2), m -> {});
    Sequential b = toy(1);
    Trainer alone = new Trainer(b, new Sgd(0.1), new TrainingSpec(1, 16, true, 64), 3);
    Trainer.EpochStats first = alone.trainEpoch(train, 1, 0);
    for (int p = 0; p < 2; p++) {
      assertThat(weights(b)[p]).containsExactly(weights(a)[p]);
    }
    // a second call counts its own samples and loss only
    Trainer.EpochStats second = alone.trainEpoch(train, 2, 3);
    assertThat(alone.state().samples()).isEqualTo(40);
    assertThat(alone.state().steps()).isEqualTo(6);
    assertThat(second.loss()).isLessThan(first.loss());
  }

  @Test
  void oneEpochCanBeTrainedOnItsOwn() {
    Sequential model = toy(1);
    float[][] before = weights(model);
    Trainer trainer = new Trainer(model, new Sgd(0.1), new TrainingSpec(5, 16, true, 64), 3);
    Dataset train = points("train", 40, 1);
    long start = System.nanoTime();
    Trainer.EpochStats s = trainer.trainEpoch(train, 2, 100);
    double wall = (System.nanoTime() - start) / 1e9;
    assertThat(s.steps()).isEqualTo(3);
    assertThat(trainer.state().steps()).isEqualTo(103);
    assertThat(trainer.state().stepInEpoch()).isEqualTo(3);
    assertThat(trainer.state().samples()).isEqualTo(40);
    assertThat(s.loss()).isPositive();
    assertThat(s.accuracy()).isBetween(0.0, 1.0);
    assertThat(s.seconds()).as("seconds, within the call's own").isBetween(0.0, wall);
    assertThat(weights(model)[0]).isNotEqualTo(before[0]);
  }

  @Test
  void fitReturnsEveryEpochsMetrics() {
    List<EpochMetrics> heard = new ArrayList<>();
    List<EpochMetrics> returned =
        new Trainer(toy(1), new Sgd(0.1), new TrainingSpec(2, 16, true, 64), 3)
            .fit(points("train", 40, 1), points("test", 10, 2), heard::add);
    assertThat(returned).hasSize(2).isEqualTo(heard);
    assertThat(returned).extracting(EpochMetrics::epoch).containsExactly(1, 2);
  }

  @Test
  void resumingReplacesWhatTheTrainerHeld() {
    Trainer trainer = new Trainer(toy(1), new Sgd(0.1), new TrainingSpec(2, 16, true, 64), 3);
    trainer.fit(points("train", 40, 1), points("test", 10, 2), m -> {});
    trainer.resume(TrainingState.start(), List.of(), null);
    Trainer.Outcome again =
        trainer.fitKeepingBest(points("train", 40, 1), points("test", 10, 2), m -> {});
    assertThat(again.epochs()).extracting(EpochMetrics::epoch).containsExactly(1, 2);
    assertThatThrownBy(() -> trainer.resume(trainer.state(), List.of(), null))
        .hasMessage("the state is after epoch 2 but 0 epochs given");
  }

  @Test
  void theWarmUpRaisesTheRateLinearlyOverItsEpochs() {
    List<Double> rates = new ArrayList<>();
    Sgd sgd = new Sgd(0.1);
    // 64 samples in batches of 16: 4 steps an epoch; a 2-epoch warm-up over a constant schedule
    TrainingSpec spec = new TrainingSpec(3, 16, false, 64, new ScheduleSpecs.Constant(2.0));
    new Trainer(toy(1), recording(sgd, rates), spec, 1, Kernels.defaults(), (e, t) -> 1)
        .fit(points("train", 64, 1), points("test", 8, 2), m -> {});
    assertThat(rates).hasSize(12);
    for (int s = 0; s < 12; s++) {
      // progress s/4 epochs, this step counted in: min(1, (s/4 + 1/4) / 2)
      assertThat(rates.get(s))
          .as("step %d", s)
          .isCloseTo(0.1 * Math.min(1, (s + 1) / 8.0), within(1e-8));
    }
  }

  private static Optimizer recording(Optimizer inner, List<Double> rates) {
    return new Optimizer() {
      @Override
      public void step(List<Parameter> parameters) {
        rates.add(inner.learningRate());
        inner.step(parameters);
      }

      @Override
      public void setLearningRateFactor(double factor) {
        inner.setLearningRateFactor(factor);
      }

      @Override
      public double learningRate() {
        return inner.learningRate();
      }
    };
  }

  /**
   * A loss whose predictions in the validation pass (the second evaluation pass of each epoch) are
   * right for a scripted share of the rows, so the validation accuracy of each epoch is known.
   */
  private static final class Scripted implements Loss {
    private final double[] validationAccuracy;
    private int[] labels;
    private Tensor out;
    private int evalPasses;

    Scripted(double... validationAccuracy) {
      this.validationAccuracy = validationAccuracy;
    }

    @Override
    public void setTargets(int[] labels) {
      this.labels = labels;
    }

    @Override
    public double loss() {
      return 0;
    }

    @Override
    public Tensor output() {
      return out;
    }

    @Override
    public int inputSize() {
      return 3;
    }

    @Override
    public int outputSize() {
      return 3;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
      out = new Tensor(x.rows(), 3);
      int right = x.rows();
      if (mode == Mode.EVAL && ++evalPasses % 2 == 0) {
        right = (int) Math.round(validationAccuracy[evalPasses / 2 - 1] * x.rows());
      }
      for (int r = 0; r < x.rows(); r++) {
        out.set(r, r < right ? labels[r] : (labels[r] + 1) % 3, 1f);
      }
      return out;
    }

    @Override
    public Tensor backward(Tensor ignored) {
      return new Tensor(out.rows(), 3);
    }

    @Override
    public String typeName() {
      return "scripted";
    }
  }

  /** Adds 1 to the first weight at every step, so the weights tell how many steps were taken. */
  private static final class Counter implements Optimizer {
    @Override
    public void step(List<Parameter> parameters) {
      parameters.get(0).value().data()[0] += 1;
    }

    @Override
    public void setLearningRateFactor(double factor) {}

    @Override
    public double learningRate() {
      return 1;
    }
  }

  /** Trains 10 epochs of 3 steps (40 samples, 10 held out), the validation accuracy scripted. */
  private static Trainer.Outcome scripted(
      EarlyStopping stopping, List<Boolean> improved, double... accuracy) {
    Affine layer = new Affine(3, new Rng(1));
    layer.parameters().get(0).value().data()[0] = 0;
    Sequential model = new Sequential(List.<Layer>of(layer, new Scripted(accuracy)));
    TrainingSpec spec = new TrainingSpec(10, 10, true, 1000, null, null, 10, stopping);
    Trainer.Outcome o =
        new Trainer(model, new Counter(), spec, 1)
            .fit(
                points("train", 40, 1),
                points("test", 10, 2),
                new TrainingListener() {
                  @Override
                  public void onEpoch(EpochMetrics metrics, boolean better) {
                    improved.add(better);
                  }
                });
    assertThat(layer.parameters().get(0).value().data()[0])
        .as("the kept epoch's weights")
        .isEqualTo(3f * o.keptEpoch());
    return o;
  }

  @Test
  void earlyStoppingStopsAfterPatienceEpochsWithoutImprovementAndKeepsTheBest() {
    List<Boolean> improved = new ArrayList<>();
    Trainer.Outcome o =
        scripted(new EarlyStopping(3, null), improved, 0.3, 0.5, 0.4, 0.5, 0.4, 0.9, 1, 1, 1, 1);
    assertThat(o.stoppedEarly()).isTrue();
    assertThat(o.keptEpoch()).isEqualTo(2);
    assertThat(improved).containsExactly(true, true, false, false, false);
    assertThat(o.epochs())
        .extracting(EpochMetrics::validationAccuracy)
        .containsExactly(0.3, 0.5, 0.4, 0.5, 0.4);
  }

  @Test
  void aRiseSmallerThanMinDeltaIsNoImprovement() {
    List<Boolean> improved = new ArrayList<>();
    Trainer.Outcome o =
        scripted(new EarlyStopping(2, 0.15), improved, 0.5, 0.6, 0.6, 0.9, 1, 1, 1, 1, 1, 1);
    assertThat(o.stoppedEarly()).isTrue();
    assertThat(o.keptEpoch()).isEqualTo(1);
    assertThat(improved).containsExactly(true, false, false);
  }

  @Test
  void withoutEarlyStoppingTheBestValidationEpochIsStillKept() {
    List<Boolean> improved = new ArrayList<>();
    Trainer.Outcome o = scripted(null, improved, 0.3, 0.8, 0.4, 0.5, 0.4, 0.7, 0.7, 0.2, 0.1, 0.8);
    assertThat(o.stoppedEarly()).isFalse();
    assertThat(o.epochs()).hasSize(10);
    assertThat(o.keptEpoch()).as("the first epoch with the best accuracy").isEqualTo(2);
    assertThat(improved)
        .containsExactly(true, true, false, false, false, false, false, false, false, false);
  }
}
