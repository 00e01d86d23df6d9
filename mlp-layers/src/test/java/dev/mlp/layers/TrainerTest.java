package dev.mlp.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlp.core.config.LayerSpec;
import dev.mlp.core.config.ModelSpec;
import dev.mlp.core.config.TrainingSpec;
import dev.mlp.core.data.Dataset;
import dev.mlp.core.nn.Parameter;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.optim.Optimizer;
import dev.mlp.core.optim.Sgd;
import dev.mlp.core.parallel.WorkerPool;
import dev.mlp.core.random.Rng;
import dev.mlp.core.registry.ModelBuilder;
import dev.mlp.core.schedule.Schedule;
import dev.mlp.core.schedule.ScheduleSpecs;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.tensor.ParallelKernels;
import dev.mlp.core.train.EpochMetrics;
import dev.mlp.core.train.Trainer;
import dev.mlp.core.train.TrainingDivergedException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The training loop on a small synthetic problem: three Gaussian blobs in 8 dimensions. */
class TrainerTest {
  static Dataset blobs(int n, long seed) {
    Rng rng = new Rng(seed);
    int d = 8;
    float[] x = new float[n * d];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = rng.nextInt(3);
      for (int j = 0; j < d; j++) {
        x[i * d + j] = (float) (rng.nextGaussian() * 0.7 + (j % 3 == y[i] ? 1.5 : 0));
      }
    }
    return new Dataset("blobs", x, y, d, 3);
  }

  private static List<EpochMetrics> train(long seed, int epochs, double lr, Sequential model) {
    List<EpochMetrics> seen = new ArrayList<>();
    new Trainer(model, new Sgd(lr), new TrainingSpec(epochs, 16, true, 64), seed)
        .fit(blobs(500, 1), blobs(200, 2), seen::add);
    return seen;
  }

  @Test
  void lossFallsAndAccuracyRisesOnALearnableProblem() {
    List<EpochMetrics> m = train(1, 8, 0.5, SeedNetworkTest.seed(8, 16, 3, 1));
    assertThat(m).hasSize(8);
    assertThat(m.get(7).loss()).isLessThan(m.get(0).loss() * 0.6);
    assertThat(m.get(7).testAccuracy()).isGreaterThan(0.9);
    assertThat(m.get(7).steps()).isEqualTo(8 * 32); // 500 samples in batches of 16: 32 a epoch
  }

  @Test
  void sameSeedTrainsToTheSameBits() {
    Sequential a = SeedNetworkTest.seed(8, 16, 3, 3);
    Sequential b = SeedNetworkTest.seed(8, 16, 3, 3);
    train(9, 3, 0.3, a);
    train(9, 3, 0.3, b);
    for (int i = 0; i < a.parameters().size(); i++) {
      assertThat(a.parameters().get(i).value().toArray())
          .containsExactly(b.parameters().get(i).value().toArray());
    }
    Sequential c = SeedNetworkTest.seed(8, 16, 3, 3);
    train(10, 3, 0.3, c); // another shuffling seed: other weights
    assertThat(c.parameters().get(0).value().toArray())
        .isNotEqualTo(a.parameters().get(0).value().toArray());
  }

  /**
   * {@code n} samples of {@code d} features in {@code classes} Gaussian blobs: class c is shifted
   * along the features j with j mod classes = c.
   */
  static Dataset blobs(int n, int d, int classes, long seed) {
    Rng rng = new Rng(seed);
    float[] x = new float[n * d];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = rng.nextInt(classes);
      for (int j = 0; j < d; j++) {
        x[i * d + j] = (float) (rng.nextGaussian() * 0.7 + (j % classes == y[i] ? 1.5 : 0));
      }
    }
    return new Dataset("wide blobs", x, y, d, classes);
  }

  /** What a run of {@link #trainWide} left: its weights and its epochs. */
  private record Trained(Sequential model, List<EpochMetrics> epochs) {}

  /**
   * 300 → 130 → 132 → 10 with sigmoids, batch 64, 6 epochs of 9 steps (549 samples: the last batch
   * has 37 rows). Every product of a full batch is above ParallelKernels.MIN_PARALLEL_WORK (2¹⁶
   * multiply-adds), so with a pool they run as parallel jobs, cut into chunks of rows or columns:
   * the forward products X·Wᵀ (64·300·130, 64·130·132, 64·132·10 = 84,480), the weight gradients
   * (the same sizes) and the input gradients of the two upper layers (64·130·132, 64·132·10); the
   * SGD updates of the two larger weights (130·300·4 and 132·130·4 = 68,640 against the same bound)
   * and the gather of a full batch (64·300 = 19,200 ≥ 2¹⁶/4). The widths are not multiples of the
   * kernels' blocks, so the slices have ragged ends.
   */
  private static Trained trainWide(Kernels kernels) {
    List<LayerSpec> layers =
        List.of(
            new LinearSpec(130),
            new SigmoidSpec(),
            new LinearSpec(132),
            new SigmoidSpec(),
            new LinearSpec(10),
            new SoftmaxCrossEntropySpec());
    Sequential model =
        new ModelBuilder(SeedNetworkTest.REGISTRY, kernels)
            .build(new ModelSpec(null, layers), 300, 10, 5);
    List<EpochMetrics> epochs = new ArrayList<>();
    new Trainer(model, new Sgd(0.5, kernels), new TrainingSpec(6, 64, true, 64), 5, kernels)
        .fit(blobs(549, 300, 10, 1), blobs(100, 300, 10, 2), epochs::add);
    return new Trained(model, epochs);
  }

  @Test
  void oneTwoAndThreeThreadsTrainToTheSameBits() {
    Trained one = trainWide(Kernels.forThreads(1));
    assertThat(one.epochs().get(5).loss())
        .as("it trains")
        .isLessThan(one.epochs().get(0).loss() * 0.5);
    try (WorkerPool two = new WorkerPool(2);
        WorkerPool three = new WorkerPool(3)) {
      for (WorkerPool pool : List.of(two, three)) {
        Trained many = trainWide(new ParallelKernels(pool));
        for (int i = 0; i < one.model().parameters().size(); i++) {
          assertSameBits(
              one.model().parameters().get(i).value().toArray(),
              many.model().parameters().get(i).value().toArray(),
              "parameter " + i + " with " + pool);
        }
        for (int e = 0; e < one.epochs().size(); e++) {
          EpochMetrics a = one.epochs().get(e);
          EpochMetrics b = many.epochs().get(e);
          assertThat(List.of(b.loss(), b.trainAccuracy(), b.testLoss(), b.testAccuracy()))
              .as("epoch %d with %s", e + 1, pool)
              .isEqualTo(List.of(a.loss(), a.trainAccuracy(), a.testLoss(), a.testAccuracy()));
        }
      }
    }
  }

  /** Fails at the first element whose bits differ (not with two arrays of 39,000 numbers). */
  private static void assertSameBits(float[] want, float[] got, String what) {
    assertThat(got.length).as(what).isEqualTo(want.length);
    for (int j = 0; j < want.length; j++) {
      if (Float.floatToRawIntBits(got[j]) != Float.floatToRawIntBits(want[j])) {
        throw new AssertionError(what + ", element " + j + ": " + got[j] + " but " + want[j]);
      }
    }
  }

  @Test
  void theScheduleAndWarmUpSetTheRateOfEveryStep() {
    List<Double> rates = new ArrayList<>();
    Sgd sgd = new Sgd(0.1);
    Optimizer recording =
        new Optimizer() {
          @Override
          public void step(List<Parameter> parameters) {
            rates.add(sgd.learningRate());
            sgd.step(parameters);
          }

          @Override
          public void setLearningRateFactor(double factor) {
            sgd.setLearningRateFactor(factor);
          }

          @Override
          public double learningRate() {
            return sgd.learningRate();
          }
        };
    // 64 samples in batches of 16: 4 steps an epoch, 2 epochs; cosine with a 1-epoch warm-up
    TrainingSpec spec = new TrainingSpec(2, 16, false, 64, new ScheduleSpecs.Cosine(null, 1.0));
    Schedule cosine = SeedNetworkTest.REGISTRY.schedule(spec.schedule());
    new Trainer(SeedNetworkTest.seed(8, 4, 3, 1), recording, spec, 1, Kernels.defaults(), cosine)
        .fit(blobs(64, 1), blobs(8, 2), m -> {});
    assertThat(rates).hasSize(8);
    // step s of 8: progress t = s/4 epochs; rate = 0.1 · cos-factor(t) · min(1, (t + 1/4) / 1)
    for (int s = 0; s < 8; s++) {
      double t = s / 4.0;
      double expected = 0.1 * (1 + Math.cos(Math.PI * t / 2)) / 2 * Math.min(1, t + 0.25);
      assertThat(rates.get(s)).as("step %d", s).isCloseTo(expected, within(1e-8));
    }
  }

  @Test
  void clippingScalesEveryGradientByMaxOverTheGlobalNorm() {
    Sequential model = SeedNetworkTest.seed(2, 2, 2, 1);
    // gradients 3 and 4 in two parameters (others 0): global norm 5
    for (Parameter p : model.parameters()) {
      p.grad().fill(0f);
    }
    model.parameters().get(0).grad().data()[0] = 3f;
    model.parameters().get(2).grad().data()[1] = 4f;
    Trainer t = new Trainer(model, new Sgd(0.1), new TrainingSpec(1, 1, false, 1, null, 1.0), 1);
    assertThat(t.clipGradients(1.0)).isCloseTo(5.0, within(1e-12));
    assertThat(model.parameters().get(0).grad().data()[0]).isCloseTo(0.6f, within(1e-7f));
    assertThat(model.parameters().get(2).grad().data()[1]).isCloseTo(0.8f, within(1e-7f));
    // under the bound: untouched
    assertThat(t.clipGradients(10.0)).isCloseTo(1.0, within(1e-6));
    assertThat(model.parameters().get(2).grad().data()[1]).isCloseTo(0.8f, within(1e-7f));
  }

  @Test
  void earlyStoppingEndsWhenValidationStallsAndKeepsTheBestEpochsWeights() {
    Sequential model = SeedNetworkTest.seed(8, 16, 3, 4);
    TrainingSpec spec =
        new TrainingSpec(
            40, 16, true, 64, null, null, 100, new dev.mlp.core.config.EarlyStopping(3, null));
    List<float[]> weightsAfter = new ArrayList<>();
    Trainer.Outcome outcome =
        new Trainer(model, new Sgd(0.8), spec, 2)
            .fitKeepingBest(
                blobs(400, 3),
                blobs(100, 4),
                m -> weightsAfter.add(model.parameters().get(0).value().toArray()));
    List<EpochMetrics> epochs = outcome.epochs();
    // the kept epoch is the first with the best validation accuracy
    int best = 0;
    for (int i = 1; i < epochs.size(); i++) {
      if (epochs.get(i).validationAccuracy() > epochs.get(best).validationAccuracy()) {
        best = i;
      }
    }
    assertThat(outcome.keptEpoch()).isEqualTo(best + 1);
    assertThat(model.parameters().get(0).value().toArray()).containsExactly(weightsAfter.get(best));
    // it stopped exactly 3 epochs after the last improvement (or ran to the end)
    if (outcome.stoppedEarly()) {
      assertThat(epochs).hasSize(best + 1 + 3);
    } else {
      assertThat(epochs).hasSize(40);
    }
    assertThat(epochs).allMatch(EpochMetrics::hasValidation);
  }

  @Test
  void aValidationSplitAsLargeAsTheTrainingSetIsRefused() {
    TrainingSpec spec = new TrainingSpec(1, 16, true, 64, null, null, 400, null);
    Trainer t = new Trainer(SeedNetworkTest.seed(8, 4, 3, 1), new Sgd(0.1), spec, 1);
    assertThatThrownBy(() -> t.fit(blobs(400, 1), blobs(10, 2), m -> {}))
        .hasMessage("training.validation is 400 but the training set has only 400 samples");
    assertThatThrownBy(
            () ->
                new TrainingSpec(
                    1, 16, true, 64, null, null, 0, new dev.mlp.core.config.EarlyStopping(2, null)))
        .hasMessageContaining("early_stopping needs a validation split");
  }

  @Test
  void aNonFiniteLossStopsTrainingAtTheFirstBadStepAndSaysWhy() {
    Dataset bad = blobs(100, 1);
    bad.features()[40 * 8 + 3] = Float.NaN; // sample 40: in the third batch of 16
    Trainer trainer =
        new Trainer(
            SeedNetworkTest.seed(8, 16, 3, 1), new Sgd(0.1), new TrainingSpec(2, 16, false, 64), 1);
    assertThatThrownBy(() -> trainer.fit(bad, blobs(10, 2), m -> {}))
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessage(
            "loss became NaN at epoch 1, step 3: sample 40 of blobs holds NaN at feature 3; the"
                + " data, not the training, is broken");
  }

  @Test
  void aLossThatExplodesStopsTrainingEvenWhileItStaysFinite() {
    Sequential model = SeedNetworkTest.seed(8, 16, 3, 1);
    Trainer trainer = new Trainer(model, new Sgd(1e6), new TrainingSpec(2, 16, false, 64), 1);
    assertThatThrownBy(() -> trainer.fit(blobs(100, 1), blobs(10, 2), m -> {}))
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageMatching(
            "loss became [0-9.e+]+ \\(above 100.0, where a model has blown up\\) at epoch 1, step"
                + " [2-7]: training diverged; the learning rate \\(1000000.0\\) is likely too"
                + " high \\(or set training.clip_norm\\)");
    // the stable softmax kept every number finite: only the bound could see it
    for (Parameter p : model.parameters()) {
      for (float v : p.value().data()) {
        assertThat(Float.isFinite(v)).isTrue();
      }
    }
  }
}
