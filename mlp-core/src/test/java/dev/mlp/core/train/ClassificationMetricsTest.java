package dev.mlp.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlp.core.data.Dataset;
import dev.mlp.core.nn.Loss;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {
  private static final double EPS = 1e-12;

  /*
   * rows: true class, columns: predicted class
   *
   *          p0 p1 p2 | support
   *     t0 [  5  2  1 ]   8
   *     t1 [  1  6  3 ]  10
   *     t2 [  0  2  4 ]   6
   *  predicted 6 10  8    24 samples, 5 + 6 + 4 = 15 correct: accuracy 15/24 = 0.625
   *
   *  precision  5/6, 6/10, 4/8          macro (25 + 18 + 15)/30 / 3 = 29/45
   *  recall     5/8, 6/10, 4/6          macro (75 + 72 + 80)/120 / 3 = 227/360
   *  F1 = 2TP / (2TP + FP + FN):
   *             10/14, 12/20, 8/14      macro (5/7 + 3/5 + 4/7) / 3 = 22/35
   */
  private static final int[][] THREE = {{5, 2, 1}, {1, 6, 3}, {0, 2, 4}};

  @Test
  void handComputedThreeClassMatrix() {
    ClassificationMetrics m = ClassificationMetrics.of(THREE);
    assertThat(m.classes()).isEqualTo(3);
    assertThat(m.count()).isEqualTo(24);
    assertThat(m.accuracy()).isCloseTo(0.625, within(EPS));
    assertThat(new long[] {m.support(0), m.support(1), m.support(2)}).containsExactly(8, 10, 6);
    assertThat(new long[] {m.predicted(0), m.predicted(1), m.predicted(2)})
        .containsExactly(6, 10, 8);
    assertThat(m.precision(0)).isCloseTo(5.0 / 6, within(EPS));
    assertThat(m.precision(1)).isCloseTo(0.6, within(EPS));
    assertThat(m.precision(2)).isCloseTo(0.5, within(EPS));
    assertThat(m.recall(0)).isCloseTo(5.0 / 8, within(EPS));
    assertThat(m.recall(1)).isCloseTo(0.6, within(EPS));
    assertThat(m.recall(2)).isCloseTo(4.0 / 6, within(EPS));
    assertThat(m.f1(0)).isCloseTo(5.0 / 7, within(EPS));
    assertThat(m.f1(1)).isCloseTo(0.6, within(EPS));
    assertThat(m.f1(2)).isCloseTo(4.0 / 7, within(EPS));
    assertThat(m.macroPrecision()).isCloseTo(29.0 / 45, within(EPS));
    assertThat(m.macroRecall()).isCloseTo(227.0 / 360, within(EPS));
    assertThat(m.macroF1()).isCloseTo(22.0 / 35, within(EPS));
    assertThat(m.loss()).isNaN(); // no model pass
    assertThat(m.confusionMatrix()).isDeepEqualTo(new long[][] {{5, 2, 1}, {1, 6, 3}, {0, 2, 4}});
  }

  @Test
  void addingSampleBySampleGivesTheSameFigures() {
    ClassificationMetrics m = new ClassificationMetrics(3);
    for (int t = 0; t < 3; t++) {
      for (int p = 0; p < 3; p++) {
        for (int k = 0; k < THREE[t][p]; k++) {
          m.add(t, p);
        }
      }
    }
    ClassificationMetrics ref = ClassificationMetrics.of(THREE);
    assertThat(m.confusionMatrix()).isDeepEqualTo(ref.confusionMatrix());
    assertThat(m.count()).isEqualTo(24);
    assertThat(m.macroF1()).isEqualTo(ref.macroF1());
  }

  /*
   *          p0 p1 p2 p3
   *     t0 [  2  0  0  0 ]
   *     t1 [  1  1  0  0 ]
   *     t2 [  0  1  0  0 ]   class 2 is never predicted: precision 0/0 -> 0, recall 0/1
   *     t3 [  0  0  0  0 ]   class 3 never occurs: 0 everywhere, left out of the macro averages
   *
   *  precision 2/3, 1/2, 0      macro (2/3 + 1/2 + 0) / 3 = 7/18
   *  recall    1,   1/2, 0      macro 1.5 / 3 = 1/2
   *  F1        4/5, 2/4, 0      macro 1.3 / 3 = 13/30
   */
  @Test
  void zeroOverZeroIsZeroAndAbsentClassesStayOutOfMacroAverages() {
    ClassificationMetrics m =
        ClassificationMetrics.of(
            new long[][] {{2, 0, 0, 0}, {1, 1, 0, 0}, {0, 1, 0, 0}, {0, 0, 0, 0}});
    assertThat(m.precision(2)).isZero();
    assertThat(m.recall(2)).isZero();
    assertThat(m.f1(2)).isZero();
    assertThat(m.precision(3)).isZero();
    assertThat(m.recall(3)).isZero();
    assertThat(m.f1(3)).isZero();
    assertThat(m.support(3)).isZero();
    assertThat(m.macroPrecision()).isCloseTo(7.0 / 18, within(EPS));
    assertThat(m.macroRecall()).isCloseTo(0.5, within(EPS));
    assertThat(m.macroF1()).isCloseTo(13.0 / 30, within(EPS));
  }

  /*
   *          p0 p1
   *     t0 [  1  1 ]   precision 1/1, 0/1; recall 1/2, 0/0 -> 0 (class 1 has no samples)
   *     t1 [  0  0 ]   class 1 is predicted, so it counts: macro precision 1/2, recall 1/4
   */
  @Test
  void aClassPredictedButAbsentHasRecallZeroAndCountsInTheMacroAverage() {
    ClassificationMetrics m = ClassificationMetrics.of(new int[][] {{1, 1}, {0, 0}});
    assertThat(m.recall(0)).isCloseTo(0.5, within(EPS));
    assertThat(m.recall(1)).isZero();
    assertThat(m.precision(1)).isZero();
    assertThat(m.macroPrecision()).isCloseTo(0.5, within(EPS));
    assertThat(m.macroRecall()).isCloseTo(0.25, within(EPS));
  }

  @Test
  void noSamplesGiveNaNForTheRatiosOverAllSamples() {
    ClassificationMetrics m = new ClassificationMetrics(2);
    assertThat(m.count()).isZero();
    assertThat(m.accuracy()).isNaN();
    assertThat(m.macroF1()).isNaN();
    assertThat(m.precision(0)).isZero();
  }

  @Test
  void rejectsMalformedInput() {
    assertThatThrownBy(() -> ClassificationMetrics.of(new long[][] {{1, 2}, {3}}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("square");
    assertThatThrownBy(() -> ClassificationMetrics.of(new long[][] {{1, -1}, {0, 0}}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> new ClassificationMetrics(3).add(3, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("true class 3 is outside [0, 3)");
    assertThatThrownBy(() -> new ClassificationMetrics(3).add(0, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("predicted class -1");
    assertThatThrownBy(() -> new ClassificationMetrics(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theMatrixReturnedIsACopy() {
    ClassificationMetrics m = ClassificationMetrics.of(THREE);
    m.confusionMatrix()[0][0] = 100;
    assertThat(m.confusionMatrix()[0][0]).isEqualTo(5);
  }

  /**
   * Seven samples whose features are the class scores. Predictions: argmax, the first on ties.
   *
   * <pre>
   *   scores            true  predicted
   *   0.9 0.1 0.0        0     0
   *   0.2 0.7 0.1        1     1
   *   0.5 0.5 0.0        1     0   (tie: the first)
   *   0.1 0.1 0.8        2     2
   *   0.3 0.3 0.3        2     0   (three-way tie)
   *   0.0 0.6 0.4        0     1
   *   0.1 0.2 0.7        2     2
   * </pre>
   *
   * Confusion matrix {{1, 1, 0}, {1, 1, 0}, {1, 0, 2}}; 4 of 7 correct. The loss is 1 − score of
   * the true class: mean (0.1 + 0.3 + 0.5 + 0.2 + 0.7 + 1.0 + 0.3) / 7 = 3.1 / 7.
   */
  private static Dataset scores() {
    float[] x = {
      0.9f, 0.1f, 0f, 0.2f, 0.7f, 0.1f, 0.5f, 0.5f, 0f, 0.1f, 0.1f, 0.8f, 0.3f, 0.3f, 0.3f, 0f,
      0.6f, 0.4f, 0.1f, 0.2f, 0.7f
    };
    return new Dataset("scores", x, new int[] {0, 1, 1, 2, 2, 0, 2}, 3, 3);
  }

  @Test
  void measuresAModelInEvalModeInBatches() {
    ScoresLoss scores = new ScoresLoss(3);
    Sequential model = new Sequential(List.of(scores));
    for (int batch : new int[] {1, 3, 7, 100}) {
      scores.modes.clear();
      ClassificationMetrics m = ClassificationMetrics.of(model, scores(), batch);
      assertThat(m.confusionMatrix())
          .as("batch %d", batch)
          .isDeepEqualTo(new long[][] {{1, 1, 0}, {1, 1, 0}, {1, 0, 2}});
      assertThat(m.count()).isEqualTo(7);
      assertThat(m.accuracy()).isCloseTo(4.0 / 7, within(EPS));
      assertThat(m.loss()).isCloseTo(3.1 / 7, within(1e-6));
      assertThat(scores.modes).containsOnly(Mode.EVAL).hasSize((7 + batch - 1) / batch);
    }
  }

  @Test
  void agreesWithTrainerEvaluate() {
    Sequential model = new Sequential(List.of(new ScoresLoss(3)));
    ClassificationMetrics m = ClassificationMetrics.of(model, scores(), 3);
    Evaluation e = Trainer.evaluate(model, scores(), 3);
    assertThat(m.accuracy()).isEqualTo(e.accuracy());
    assertThat(m.loss()).isEqualTo(e.loss());
    assertThat(m.count()).isEqualTo(e.count());
    long sum = 0;
    for (long[] row : m.confusionMatrix()) {
      for (long v : row) {
        sum += v;
      }
    }
    assertThat(sum).isEqualTo(scores().count());
  }

  @Test
  void anEmptyDataSetGivesNaNLossAndAccuracy() {
    Sequential model = new Sequential(List.of(new ScoresLoss(3)));
    Dataset empty = new Dataset("empty", new float[0], new int[0], 3, 3);
    ClassificationMetrics m = ClassificationMetrics.of(model, empty, 10);
    assertThat(m.count()).isZero();
    assertThat(m.loss()).isNaN();
    assertThat(m.accuracy()).isNaN();
  }

  @Test
  void rejectsAWrongWidthOrBatchSize() {
    Sequential model = new Sequential(List.of(new ScoresLoss(4)));
    assertThatThrownBy(() -> ClassificationMetrics.of(model, scores(), 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scores has 3 features per sample but the model expects 4");
    Sequential three = new Sequential(List.of(new ScoresLoss(3)));
    assertThatThrownBy(() -> ClassificationMetrics.of(three, scores(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batch size");
  }

  /** A loss whose output is its input (the features are the scores); loss: 1 − true score. */
  private static final class ScoresLoss implements Loss {
    private final int classes;
    final List<Mode> modes = new ArrayList<>();
    private int[] targets;
    private Tensor output;
    private double loss;

    ScoresLoss(int classes) {
      this.classes = classes;
    }

    @Override
    public void setTargets(int[] labels) {
      targets = labels;
    }

    @Override
    public Tensor forward(Tensor input, Mode mode) {
      modes.add(mode);
      output = input;
      double sum = 0;
      for (int r = 0; r < input.rows(); r++) {
        sum += 1 - input.get(r, targets[r]);
      }
      loss = sum / input.rows();
      return output;
    }

    @Override
    public double loss() {
      return loss;
    }

    @Override
    public Tensor output() {
      return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
      throw new UnsupportedOperationException("evaluation only");
    }

    @Override
    public int inputSize() {
      return classes;
    }

    @Override
    public int outputSize() {
      return classes;
    }

    @Override
    public String typeName() {
      return "scores";
    }
  }

  @Test
  void oneClassIsEnoughAndNoneIsRefused() {
    ClassificationMetrics one = new ClassificationMetrics(1);
    one.add(0, 0);
    assertThat(one.accuracy()).isEqualTo(1.0);
    assertThatThrownBy(() -> new ClassificationMetrics(0))
        .hasMessage("need at least one class, got 0");
  }

  @Test
  void perClassFiguresOfAClassThatDoesNotExistAreRefused() {
    ClassificationMetrics m = ClassificationMetrics.of(THREE);
    assertThatThrownBy(() -> m.support(3)).hasMessage("class 3 is outside [0, 3)");
    assertThatThrownBy(() -> m.predicted(-1)).hasMessage("class -1 is outside [0, 3)");
    assertThatThrownBy(() -> m.recall(3)).hasMessage("class 3 is outside [0, 3)");
    assertThatThrownBy(() -> m.precision(3)).hasMessage("class 3 is outside [0, 3)");
  }
}
