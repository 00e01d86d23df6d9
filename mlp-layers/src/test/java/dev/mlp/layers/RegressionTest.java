package dev.mlp.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlp.core.config.EarlyStopping;
import dev.mlp.core.config.LayerSpec;
import dev.mlp.core.config.ModelSpec;
import dev.mlp.core.config.TrainingSpec;
import dev.mlp.core.data.Dataset;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.optim.Sgd;
import dev.mlp.core.random.Rng;
import dev.mlp.core.registry.ModelBuilder;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.tensor.Tensor;
import dev.mlp.core.train.EpochMetrics;
import dev.mlp.core.train.RegressionMetrics;
import dev.mlp.core.train.Trainer;
import dev.mlp.core.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A regression trains through the same loop as a classifier: float targets, the mse loss, and its
 * own measures (loss, MAE, RMSE, R²) instead of accuracy.
 */
class RegressionTest {
  /** n samples of 4 features; two targets, y0 = 2x0 − 3x1 + 1 and y1 = x2 + x3 (plus noise). */
  static Dataset plane(int n, long seed) {
    Rng rng = new Rng(seed);
    float[] x = new float[n * 4];
    float[] y = new float[n * 2];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 4; j++) {
        x[i * 4 + j] = (float) rng.nextGaussian();
      }
      y[i * 2] = 2 * x[i * 4] - 3 * x[i * 4 + 1] + 1 + (float) (0.05 * rng.nextGaussian());
      y[i * 2 + 1] = x[i * 4 + 2] + x[i * 4 + 3] + (float) (0.05 * rng.nextGaussian());
    }
    return Dataset.regression("plane", x, 4, y, 2);
  }

  static Sequential linearMse(long seed) {
    List<LayerSpec> layers =
        List.of(new LinearSpec(16), new TanhSpec(), new LinearSpec(2), new MseSpec());
    return new ModelBuilder(SeedNetworkTest.REGISTRY, Kernels.defaults())
        .build(new ModelSpec(null, layers), 4, 2, seed);
  }

  @Test
  void thePointsForAPlotAreTheModelsOwnPredictionsSpreadOverTheWholeSet() {
    Sequential model = linearMse(1);
    // 1,500 samples of two outputs: 3,000 values; both outputs of every second sample are kept
    Dataset data = plane(1500, 3);
    RegressionMetrics m = RegressionMetrics.of(model, data, 64);
    assertThat(m.actual()).hasSize(1500);
    Tensor x = new Tensor(1, 4);
    for (int p : new int[] {0, 1, 776, 777, 1499}) {
      int sample = 2 * (p / 2);
      int value = sample * 2 + p % 2;
      assertThat(m.actual()[p]).isEqualTo(data.targets()[value]);
      System.arraycopy(data.features(), sample * 4, x.data(), 0, 4);
      float out = model.loss().infer(model.forward(x, Mode.EVAL)).data()[p % 2];
      assertThat(m.predicted()[p]).isCloseTo(out, within(1e-6f));
    }
    // their MAE is the MAE of the whole set, nearly (it is a sample)
    double mae = 0;
    for (int p = 0; p < m.actual().length; p++) {
      mae += Math.abs(m.actual()[p] - m.predicted()[p]) / m.actual().length;
    }
    assertThat(mae).isCloseTo(m.mae(), within(0.1 * m.mae()));
    // a small set is kept whole
    assertThat(RegressionMetrics.of(model, plane(10, 4), 3).actual()).hasSize(20);
  }

  @Test
  void theLastEpochsTestPassServesARegressorsSummary() {
    Sequential model = linearMse(1);
    Dataset test = plane(300, 2);
    Trainer trainer = new Trainer(model, new Sgd(0.05), new TrainingSpec(2, 16, true, 64), 3);
    trainer.fit(plane(400, 1), test, new TrainingListener() {});
    RegressionMetrics kept = trainer.lastTestRegression(test).orElseThrow();
    RegressionMetrics measured = RegressionMetrics.of(model, test, 64);
    assertThat(kept.measures()).isEqualTo(measured.measures());
    assertThat(kept.actual()).isEqualTo(measured.actual());
    assertThat(kept.predicted()).isEqualTo(measured.predicted());
    assertThat(trainer.lastTestClassification(test)).isEmpty();
  }

  @Test
  void anMseModelLearnsFloatTargetsAndReportsRegressionMeasures() {
    Sequential model = linearMse(1);
    double untrained = RegressionMetrics.of(model, plane(200, 2), 64).loss();
    List<EpochMetrics> epochs = new ArrayList<>();
    List<Double> running = new ArrayList<>();
    new Trainer(model, new Sgd(0.05), new TrainingSpec(20, 16, true, 64), 3)
        .fit(
            plane(800, 1),
            plane(200, 2),
            new TrainingListener() {
              @Override
              public void onStep(StepProgress p) {
                running.add(p.runningAccuracy());
              }

              @Override
              public void onEpoch(EpochMetrics m, boolean improved) {
                epochs.add(m);
              }
            });
    EpochMetrics first = epochs.get(0);
    EpochMetrics last = epochs.get(19);
    assertThat(last.train()).containsOnlyKeys("loss");
    assertThat(last.test()).containsOnlyKeys("loss", "mae", "rmse", "r2");
    assertThat(last.hasValidation()).isFalse();
    assertThat(first.testLoss()).isLessThan(untrained);
    assertThat(last.testLoss()).isLessThan(first.testLoss()).isLessThan(untrained / 20);
    assertThat(last.test().get("r2")).isGreaterThan(0.98);
    // mse is the mean squared error over every output: rmse² is the loss
    assertThat(last.test().get("rmse") * last.test().get("rmse"))
        .isCloseTo(last.testLoss(), within(1e-6));
    assertThat(running).allMatch(a -> a.isNaN()); // no classes to count
  }

  @Test
  void theBestEpochOfARegressionIsTheOneWithTheLowestValidationLoss() {
    Sequential model = linearMse(2);
    TrainingSpec spec =
        new TrainingSpec(12, 16, true, 64, null, null, 200, new EarlyStopping(3, null));
    Trainer.Outcome o =
        new Trainer(model, new Sgd(0.05), spec, 5)
            .fitKeepingBest(plane(800, 3), plane(100, 4), e -> {});
    double best = Double.POSITIVE_INFINITY;
    int bestEpoch = 0;
    for (EpochMetrics m : o.epochs()) {
      if (m.validationLoss() < best) {
        best = m.validationLoss();
        bestEpoch = m.epoch();
      }
    }
    assertThat(o.epochs()).allMatch(m -> m.validation().keySet().equals(m.test().keySet()));
    assertThat(bestEpoch).isGreaterThan(1);
    assertThat(o.keptEpoch()).isEqualTo(bestEpoch);
  }

  @Test
  void inferenceOfAnMseModelIsItsOutputAndNeedsNoTargets() {
    Sequential model = linearMse(3);
    Tensor x = new Tensor(3, 4);
    for (int i = 0; i < x.size(); i++) {
      x.data()[i] = i * 0.1f;
    }
    float[] inferred = model.infer(x).data().clone();
    model.loss().setTargetValues(new Tensor(3, 2));
    float[] forward = model.forward(x, Mode.EVAL).data();
    assertThat(inferred).containsExactly(java.util.Arrays.copyOf(forward, 6));
  }

  @Test
  void aClassificationLossRefusesTargetValuesNamingARegressionLoss() {
    Sequential seed = SeedNetworkTest.seed(4, 8, 2, 1);
    assertThatThrownBy(
            () ->
                new Trainer(seed, new Sgd(0.1), new TrainingSpec(1, 16, true, 64), 1)
                    .fit(plane(32, 1), plane(32, 2), e -> {}))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage(
            "softmax_cross_entropy learns class labels, not target values; a regression needs a"
                + " loss such as mse");
  }
}
