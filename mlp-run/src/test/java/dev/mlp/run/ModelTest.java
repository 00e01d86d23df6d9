package dev.mlp.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlp.core.config.ExperimentConfig;
import dev.mlp.core.config.ModelSpec;
import dev.mlp.core.config.TrainingSpec;
import dev.mlp.core.data.Dataset;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.optim.SgdSpec;
import dev.mlp.core.random.Rng;
import dev.mlp.core.registry.ModelBuilder;
import dev.mlp.core.registry.Registry;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.tensor.Tensor;
import dev.mlp.core.train.ClassificationMetrics;
import dev.mlp.data.mnist.MnistSpec;
import dev.mlp.layers.LinearSpec;
import dev.mlp.layers.SigmoidSpec;
import dev.mlp.layers.SoftmaxCrossEntropySpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Java API's model: batched inference through the loss's inference answer, and evaluation. */
class ModelTest {
  static final Registry REGISTRY = Modules.registry();

  private static Model model() {
    ModelSpec spec =
        new ModelSpec(
            null,
            List.of(
                new LinearSpec(16),
                new SigmoidSpec(),
                new LinearSpec(4),
                new SoftmaxCrossEntropySpec()));
    Sequential net = new ModelBuilder(REGISTRY, Kernels.defaults()).build(spec, 6, 4, 7);
    ExperimentConfig cfg =
        new ExperimentConfig(
            "toy", 7L, new MnistSpec(null, null), spec, new SgdSpec(0.1), TrainingSpec.defaults());
    return new Model(net, null, cfg);
  }

  private static float[][] rows(int n, long seed) {
    Rng rng = new Rng(seed);
    float[][] rows = new float[n][6];
    for (float[] r : rows) {
      for (int j = 0; j < r.length; j++) {
        r[j] = (float) rng.nextGaussian();
      }
    }
    return rows;
  }

  @Test
  void aBatchGivesTheSameBitsAsOneRowAtATimeAndAsTheTrainingForward() {
    Model model = model();
    float[][] rows = rows(2500, 1); // more than one inference batch of 1000
    float[][] batched = model.outputs(rows);
    for (int i : new int[] {0, 999, 1000, 2499}) {
      assertThat(model.probabilities(rows[i])).containsExactly(batched[i]);
    }
    // the forward pass of training (with labels) computes the same probabilities
    Tensor x = new Tensor(1, 6);
    System.arraycopy(rows[1000], 0, x.data(), 0, 6);
    model.network().loss().setTargets(new int[] {0});
    assertThat(model.network().forward(x, Mode.EVAL).data()).containsExactly(batched[1000]);
    float sum = 0;
    for (float p : batched[5]) {
      sum += p;
    }
    assertThat(sum).isBetween(0.999f, 1.001f);
  }

  @Test
  void predictionsAreTheMostProbableClassOfEachRow() {
    Model model = model();
    float[][] rows = rows(20, 2);
    float[][] p = model.outputs(rows);
    List<Model.Prediction> predictions = model.predict(rows);
    for (int i = 0; i < rows.length; i++) {
      int best = 0;
      for (int c = 1; c < 4; c++) {
        best = p[i][c] > p[i][best] ? c : best;
      }
      assertThat(predictions.get(i).label()).isEqualTo(best);
      assertThat(predictions.get(i).probability()).isEqualTo(p[i][best]);
    }
  }

  @Test
  void evaluatingRowsIsEvaluatingTheirDataSet() {
    Model model = model();
    float[][] rows = rows(50, 3);
    int[] labels = new int[50];
    float[] flat = new float[50 * 6];
    for (int i = 0; i < 50; i++) {
      labels[i] = i % 4;
      System.arraycopy(rows[i], 0, flat, i * 6, 6);
    }
    ClassificationMetrics a = model.evaluate(rows, labels);
    ClassificationMetrics b =
        ClassificationMetrics.of(model.network(), new Dataset("x", flat, labels, 6, 4), 1000);
    assertThat(a.accuracy()).isEqualTo(b.accuracy());
    assertThat(a.loss()).isEqualTo(b.loss());
    assertThat(a.confusionMatrix()).isDeepEqualTo(b.confusionMatrix());
  }

  @Test
  void aRowOfTheWrongWidthIsNamed() {
    Model model = model();
    float[][] rows = {new float[6], new float[5]};
    assertThatThrownBy(() -> model.outputs(rows))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("row 1 has 5 features but the model reads 6");
    assertThatThrownBy(() -> model.evaluate(new float[][] {new float[6]}, new int[] {0, 1}))
        .hasMessage("1 rows but 2 labels; one label per row");
  }
}
