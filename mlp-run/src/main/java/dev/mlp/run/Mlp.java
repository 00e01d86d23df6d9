package dev.mlp.run;

import dev.mlp.core.data.DataSplits;
import dev.mlp.core.registry.Registry;
import dev.mlp.core.train.EpochMetrics;
import dev.mlp.core.train.TrainingListener;
import dev.mlp.run.config.ConfigException;
import dev.mlp.run.config.ConfigLoader;
import dev.mlp.run.folder.Summary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The entry point of mlp as a Java library: train from a config, get the model back.
 *
 * <pre>{@code
 * Mlp.Trained run = Mlp.train(Path.of("configs/mnist-2layer.yaml"));
 * Model model = run.model();                  // the kept weights, ready to predict
 * Model again = Model.load(run.checkpoint());  // or later, from the run folder
 *
 * Mlp.Trained quick =
 *     Mlp.training(Path.of("configs/mnist-2layer.yaml"))
 *         .set("training.epochs", "2")
 *         .set("optimizer.lr", "0.05")
 *         .out(Path.of("runs/quick"))
 *         .onEpoch(e -> System.out.println(e.epoch() + " " + e.testAccuracy()))
 *         .train();
 * }</pre>
 *
 * A training writes the same run folder {@code mlp train} writes (config, metrics, checkpoints,
 * summary; the report's charts are the command line's), and {@code mlp train --resume} continues
 * it. Nothing is printed: the data set's messages go to {@link Training#log}.
 */
public final class Mlp {
  private Mlp() {}

  /** The version of mlp, from the jar's manifest; "development" when run from classes. */
  public static String version() {
    String v = Mlp.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }

  /** Trains {@code config} as it is, into {@code runs/<name>-<time>/}. */
  public static Trained train(Path config) throws IOException, ConfigException {
    return training(config).train();
  }

  /** A training of {@code config} to adjust before {@link Training#train()}. */
  public static Training training(Path config) {
    return new Training(config);
  }

  /** What a finished training hands back. */
  public record Trained(
      Model model,
      Path runDir,
      Path checkpoint,
      List<EpochMetrics> epochs,
      Summary summary,
      DataSplits data) {

    /** The test accuracy of the kept weights. */
    public double testAccuracy() {
      return summary.testAccuracy();
    }
  }

  /** A training being set up: overrides, output folder, threads, where messages go. */
  public static final class Training {
    private final Path config;
    private final List<ConfigLoader.Override> overrides = new ArrayList<>();
    private Path out;
    private int threads = Runtime.getRuntime().availableProcessors();
    private Consumer<String> log = line -> {};
    private Consumer<EpochMetrics> onEpoch = e -> {};
    private Registry registry;

    private Training(Path config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** Overrides one config value, as {@code --set key=value} does. */
    public Training set(String key, String value) {
      overrides.add(new ConfigLoader.Override(key, value));
      return this;
    }

    /** The run folder (it must not hold a run yet); default {@code runs/<name>-<time>/}. */
    public Training out(Path dir) {
      this.out = dir;
      return this;
    }

    /** Threads the kernels compute with (the same bits for any count); default: every core. */
    public Training threads(int n) {
      if (n < 1 || n > 256) {
        throw new IllegalArgumentException("threads must be between 1 and 256, got " + n);
      }
      this.threads = n;
      return this;
    }

    /**
     * Where the data set's messages (downloads, cache) and those of the config's callbacks go;
     * default: nowhere.
     */
    public Training log(Consumer<String> lines) {
      this.log = Objects.requireNonNull(lines);
      return this;
    }

    /** Called after every epoch with its figures. */
    public Training onEpoch(Consumer<EpochMetrics> listener) {
      this.onEpoch = Objects.requireNonNull(listener);
      return this;
    }

    /** The layer, optimizer and data types to build from; default: the class path's modules. */
    public Training registry(Registry types) {
      this.registry = types;
      return this;
    }

    /** Trains to the end and returns the kept weights as a {@link Model}. */
    public Trained train() throws IOException, ConfigException {
      Registry types = registry != null ? registry : Modules.registry();
      try (TrainingSession session =
          TrainingSession.create(types, new ConfigLoader(types).load(config, overrides), out)) {
        return train(session);
      }
    }

    private Trained train(TrainingSession session) throws IOException, ConfigException {
      Experiment x = session.prepare(threads, log);
      TrainingSession.Result r =
          session.train(
              new TrainingListener() {
                @Override
                public void onEpoch(EpochMetrics m, boolean improved) {
                  onEpoch.accept(m);
                }
              },
              0,
              false,
              log);
      return new Trained(
          new Model(x.model(), null, x.config(), x.registry()),
          session.runDir(),
          r.checkpoint(),
          r.epochs(),
          r.summary(),
          x.data());
    }
  }
}
