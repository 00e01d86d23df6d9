package dev.mlp.cli;

import dev.mlp.cli.config.ConfigException;
import dev.mlp.cli.config.ConfigLoader;
import dev.mlp.cli.config.LoadedConfig;
import dev.mlp.core.config.ExperimentConfig;
import dev.mlp.core.config.SpecException;
import dev.mlp.core.data.DataSplits;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.optim.Optimizer;
import dev.mlp.core.registry.ModelBuilder;
import dev.mlp.core.registry.Registry;
import dev.mlp.core.schedule.Schedule;
import dev.mlp.core.schedule.ScheduleSpecs;
import dev.mlp.core.tensor.Kernels;
import java.io.PrintWriter;

/** A config made real: loaded, its data fetched and read, its model built, its optimizer made. */
record Experiment(
    Registry registry,
    LoadedConfig loaded,
    DataSplits data,
    Sequential model,
    Optimizer optimizer,
    Kernels kernels,
    Schedule schedule) {

  ExperimentConfig config() {
    return loaded.config();
  }

  /**
   * Everything but training; data-source progress goes to {@code log}, and with {@code bars} a
   * progress bar shows each download.
   */
  static Experiment prepare(ExperimentOptions options, PrintWriter log) throws Exception {
    Registry registry = options.plugins.registry();
    if (options.config == null) {
      throw new ConfigException(
          "--config FILE is required, e.g. --config configs/mnist-2layer.yaml");
    }
    LoadedConfig loaded = new ConfigLoader(registry).load(options.config, options.overrides());
    return prepare(registry, loaded, options.threadCount(), log, false);
  }

  /** {@link #prepare(ExperimentOptions, PrintWriter)} for a config already loaded. */
  static Experiment prepare(
      Registry registry, LoadedConfig loaded, int threads, PrintWriter log, boolean bars)
      throws Exception {
    ExperimentConfig cfg = loaded.config();
    DataSplits data = registry.dataset(cfg.data(), new DataLog(log, bars));
    Kernels kernels = Kernels.forThreads(threads);
    Sequential model;
    try {
      model =
          new ModelBuilder(registry, kernels)
              .build(cfg.model(), data.featureSize(), data.numClasses(), cfg.seed());
    } catch (SpecException e) {
      throw loaded.error(e);
    }
    Schedule schedule =
        registry.schedule(
            cfg.training().schedule() != null
                ? cfg.training().schedule()
                : new ScheduleSpecs.Constant(null));
    return new Experiment(
        registry,
        loaded,
        data,
        model,
        registry.optimizer(cfg.optimizer(), kernels),
        kernels,
        schedule);
  }
}
