package dev.mlp.layers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlp.core.config.EarlyStopping;
import dev.mlp.core.config.LayerSpec;
import dev.mlp.core.config.ModelSpec;
import dev.mlp.core.config.TrainingSpec;
import dev.mlp.core.nn.Layer;
import dev.mlp.core.nn.Parameter;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.nn.Stochastic;
import dev.mlp.core.optim.Adam;
import dev.mlp.core.optim.AdamSpec;
import dev.mlp.core.optim.Optimizer;
import dev.mlp.core.registry.ModelBuilder;
import dev.mlp.core.schedule.ScheduleSpecs;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.train.EpochMetrics;
import dev.mlp.core.train.Trainer;
import dev.mlp.core.train.TrainingListener;
import dev.mlp.core.train.TrainingState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run stopped after any step and continued from what a checkpoint holds (weights, optimizer
 * state, random streams, {@link TrainingState}, earlier metrics, best weights) ends with the same
 * bits as the run never stopped: with dropout, Adam, a cosine schedule with warm-up, a validation
 * split and the best epoch's weights restored at the end.
 */
class ResumeTest {
  private static final TrainingSpec SPEC =
      new TrainingSpec(
          6,
          24,
          true,
          64,
          new ScheduleSpecs.Cosine(0.1, 1.0),
          null,
          60,
          new EarlyStopping(10, null));

  private static Sequential model() {
    List<LayerSpec> layers =
        List.of(
            new LinearSpec(16),
            new DropoutSpec(0.3),
            new ReluSpec(),
            new LinearSpec(3),
            new SoftmaxCrossEntropySpec());
    return new ModelBuilder(SeedNetworkTest.REGISTRY, Kernels.defaults())
        .build(new ModelSpec(null, layers), 8, 3, 11);
  }

  private static Optimizer adam() {
    return new Adam(new AdamSpec(0.01, null, null, null, null));
  }

  private static Trainer trainer(Sequential m, Optimizer o) {
    return new Trainer(
        m, o, SPEC, 5, Kernels.defaults(), SeedNetworkTest.REGISTRY.schedule(SPEC.schedule()));
  }

  /** What a checkpoint keeps, copied out of a live run. */
  private record Saved(
      float[][] weights,
      float[][][] optimizerState,
      long optimizerSteps,
      List<Long> randomStates,
      TrainingState state,
      List<EpochMetrics> epochs,
      float[][] best) {}

  private static float[][] weights(Sequential m) {
    List<Parameter> ps = m.parameters();
    float[][] w = new float[ps.size()][];
    for (int i = 0; i < w.length; i++) {
      w[i] = ps.get(i).value().data().clone();
    }
    return w;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 17, 19, 20, 21, 57, 100, 119})
  void aRunStoppedAfterAnyStepAndResumedEndsWithTheSameBits(int stopAfterStep) {
    // 440 training samples (60 held out) in batches of 24: 19 steps an epoch, 114 in all
    Sequential plain = model();
    Trainer.Outcome expected =
        trainer(plain, adam())
            .fitKeepingBest(TrainerTest.blobs(500, 1), TrainerTest.blobs(90, 2), m -> {});

    Sequential first = model();
    Optimizer firstOpt = adam();
    Trainer stopped = trainer(first, firstOpt);
    List<Saved> lastEpochEnd = new ArrayList<>(); // what the 'last' and 'best' checkpoints hold
    List<float[][]> bestWeights = new ArrayList<>();
    Trainer.Outcome cut =
        stopped.fit(
            TrainerTest.blobs(500, 1),
            TrainerTest.blobs(90, 2),
            new TrainingListener() {
              @Override
              public void onStep(StepProgress p) {
                if (p.steps() == stopAfterStep) {
                  stopped.requestStop();
                }
              }

              @Override
              public void onEpoch(EpochMetrics m, boolean improved) {
                if (improved) {
                  bestWeights.add(weights(first));
                }
              }
            });
    boolean finished = stopAfterStep >= 114;
    assertThat(cut.interrupted()).isEqualTo(!finished);
    Saved saved = save(first, firstOpt, stopped, cut.epochs(), bestWeights);

    Sequential second = model();
    Optimizer secondOpt = adam();
    Trainer resumed = trainer(second, secondOpt);
    restore(saved, second, secondOpt, resumed);
    Trainer.Outcome rest =
        resumed.fitKeepingBest(TrainerTest.blobs(500, 1), TrainerTest.blobs(90, 2), m -> {});

    assertThat(rest.interrupted()).isFalse();
    assertThat(rest.keptEpoch()).isEqualTo(expected.keptEpoch());
    assertThat(rest.epochs()).hasSize(expected.epochs().size());
    for (int e = 0; e < expected.epochs().size(); e++) {
      EpochMetrics a = expected.epochs().get(e);
      EpochMetrics b = rest.epochs().get(e);
      assertThat(b.loss()).as("epoch %d loss", e + 1).isEqualTo(a.loss());
      assertThat(b.trainAccuracy()).isEqualTo(a.trainAccuracy());
      assertThat(b.validationAccuracy()).isEqualTo(a.validationAccuracy());
      assertThat(b.testLoss()).isEqualTo(a.testLoss());
    }
    float[][] want = weights(plain);
    float[][] got = weights(second);
    for (int i = 0; i < want.length; i++) {
      assertThat(got[i]).as("parameter %d", i).containsExactly(want[i]);
    }
  }

  private static Saved save(
      Sequential m, Optimizer o, Trainer t, List<EpochMetrics> epochs, List<float[][]> best) {
    List<Parameter> ps = m.parameters();
    float[][][] opt = new float[ps.size()][][];
    for (int i = 0; i < ps.size(); i++) {
      float[][] s = o.state(ps, i);
      opt[i] = new float[s.length][];
      for (int k = 0; k < s.length; k++) {
        opt[i][k] = s[k].clone();
      }
    }
    List<Long> rs = new ArrayList<>();
    for (Layer l : m.layers()) {
      if (l instanceof Stochastic s) {
        rs.add(s.randomState());
      }
    }
    TrainingState state = t.state();
    return new Saved(
        weights(m),
        opt,
        o.steps(),
        rs,
        state,
        epochs,
        best.isEmpty() ? null : best.get(best.size() - 1));
  }

  private static void restore(Saved s, Sequential m, Optimizer o, Trainer t) {
    List<Parameter> ps = m.parameters();
    for (int i = 0; i < ps.size(); i++) {
      System.arraycopy(s.weights()[i], 0, ps.get(i).value().data(), 0, s.weights()[i].length);
      float[][] live = o.state(ps, i);
      for (int k = 0; k < live.length; k++) {
        System.arraycopy(s.optimizerState()[i][k], 0, live[k], 0, live[k].length);
      }
    }
    o.setSteps(s.optimizerSteps());
    int r = 0;
    for (Layer l : m.layers()) {
      if (l instanceof Stochastic st) {
        st.setRandomState(s.randomStates().get(r++));
      }
    }
    t.resume(s.state(), s.epochs(), s.best());
  }
}
