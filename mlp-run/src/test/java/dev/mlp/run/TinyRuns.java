package dev.mlp.run;

import dev.mlp.core.config.CallbackSpec;
import dev.mlp.core.config.DatasetSpec;
import dev.mlp.core.data.DataShape;
import dev.mlp.core.data.DataSplits;
import dev.mlp.core.data.Dataset;
import dev.mlp.core.nn.Parameter;
import dev.mlp.core.registry.DatasetFactory;
import dev.mlp.core.registry.MlpModule;
import dev.mlp.core.registry.Registry;
import dev.mlp.core.train.EpochMetrics;
import dev.mlp.core.train.Trainer;
import dev.mlp.core.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * What a training session needs to run in a unit test, in memory and in a second: a tiny data set
 * (4 features, 3 classes, noise), and callbacks that report what they hear, poison the weights or
 * break the metrics log at a chosen step, to reach divergence and failure.
 */
final class TinyRuns {
  private TinyRuns() {}

  /** {@code {type: tiny}}: {@code samples} training rows (default 20), 6 test rows. */
  public record TinySpec(Integer samples, Integer version) implements DatasetSpec {
    public TinySpec {
      samples = samples == null ? 20 : samples;
      version = version == null ? 1 : version;
    }
  }

  /** Makes the same rows for the same spec; its checksum names the version and size. */
  public static final class TinyData implements DatasetFactory<TinySpec> {
    @Override
    public DataSplits load(TinySpec spec, Consumer<String> log) {
      log.accept("tiny: " + spec.samples() + " samples");
      return new DataSplits(
          rows("train", spec.samples(), 11L * spec.version()),
          rows("test", 6, 12L * spec.version()),
          "tiny-" + spec.version() + "-" + spec.samples());
    }

    @Override
    public DataShape shape(TinySpec spec) {
      return new DataShape(4, 3);
    }

    private static Dataset rows(String name, int n, long seed) {
      Random r = new Random(seed);
      float[] x = new float[n * 4];
      int[] y = new int[n];
      for (int i = 0; i < n; i++) {
        y[i] = r.nextInt(3);
        for (int j = 0; j < 4; j++) {
          x[i * 4 + j] = (float) r.nextGaussian() + (j == y[i] ? 1.5f : 0);
        }
      }
      return new Dataset(name, x, y, 4, 3);
    }
  }

  /**
   * {@code {type: probe, action: ACTION, at: STEP}}: says "probe: step N", "probe: epoch N" and
   * "probe: end" to the run's messages; at step {@code at} it does its action: {@code nan} sets the
   * first weight to NaN (the run diverges), {@code throw} fails with an IllegalStateException,
   * {@code break-log} puts a folder where the metrics log would be opened.
   */
  public record ProbeSpec(String action, Integer at, String dir) implements CallbackSpec {
    public ProbeSpec {
      action = action == null ? "none" : action;
      at = at == null ? -1 : at;
    }
  }

  static final class TinyModule extends MlpModule {
    @Override
    protected void configure() {
      dataset("tiny", TinySpec.class, TinyData.class, "noise of 4 features in 3 classes");
      callback(
          "probe",
          ProbeSpec.class,
          (spec, context) ->
              new TrainingListener() {
                @Override
                public void onStep(StepProgress p) {
                  context.log().accept("probe: step " + p.steps());
                  if (p.steps() != spec.at()) {
                    return;
                  }
                  switch (spec.action()) {
                    case "nan" -> {
                      Parameter w = context.model().parameters().get(0);
                      w.value().data()[0] = Float.NaN;
                    }
                    case "throw" -> throw new IllegalStateException("probe failed at " + p.steps());
                    case "break-log" -> {
                      try {
                        Files.createDirectories(Path.of(spec.dir(), "metrics.jsonl"));
                      } catch (IOException e) {
                        throw new UncheckedIOException(e);
                      }
                    }
                    default -> {}
                  }
                }

                @Override
                public void onEpoch(EpochMetrics m, boolean improved) {
                  context.log().accept("probe: epoch " + m.epoch());
                }

                @Override
                public void onTrainEnd(Trainer.Outcome outcome) {
                  context.log().accept("probe: end");
                }
              },
          "hears a run and can break it");
    }
  }

  static final Registry REGISTRY = Modules.registry(List.of(new TinyModule()));

  /** 20 rows in batches of 4: 5 steps an epoch. */
  static final String CONFIG =
      """
      name: tiny
      seed: 5
      data: {type: tiny}
      model:
        layers:
          - {type: linear, units: 6}
          - {type: tanh}
          - {type: dropout, rate: 0.2}
          - {type: linear, units: 3}
          - {type: softmax_cross_entropy}
      optimizer: {type: adam, lr: 0.05}
      training: {epochs: 3, batch_size: 4}
      """;
}
