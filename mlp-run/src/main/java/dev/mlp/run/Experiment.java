package dev.mlp.run;

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
import dev.mlp.run.config.ConfigException;
import dev.mlp.run.config.LoadedConfig;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * A config made real: loaded, its data fetched and read, its model built, its optimizer and
 * schedule made. The one place where config becomes data, model and optimizer, for every command
 * and for the Java API.
 */
public record Experiment(
    Registry registry,
    LoadedConfig loaded,
    DataSplits data,
    Sequential model,
    Optimizer optimizer,
    Kernels kernels,
    Schedule schedule) {

  public ExperimentConfig config() {
    return loaded.config();
  }

  /**
   * The model of {@code loaded}'s config, for data of {@code features} and {@code classes}, after
   * checking that the memory it needs to train is there ({@link MemoryCheck}).
   *
   * @throws ConfigException naming the config path of a layer that cannot be built, or of the
   *     biggest layer when the model does not fit in memory
   */
  public static Sequential build(
      Registry registry, LoadedConfig loaded, Kernels kernels, int features, int classes)
      throws ConfigException {
    ExperimentConfig cfg = loaded.config();
    String tooBig = MemoryCheck.refusal(cfg, features, true);
    if (tooBig != null) {
      throw loaded.error(MemoryCheck.path(cfg, features), tooBig);
    }
    try {
      return new ModelBuilder(registry, kernels).build(cfg.model(), features, classes, cfg.seed());
    } catch (SpecException e) {
      throw loaded.error(e);
    } catch (OutOfMemoryError e) {
      // a plugin's layer, whose size its spec does not tell, can still be too big
      throw loaded.error(
          MemoryCheck.path(cfg, features),
          "the model does not fit in memory (Java may use "
              + dev.mlp.data.files.InputFiles.bytes(Runtime.getRuntime().maxMemory())
              + " in all); make it smaller, or give Java more with MLP_JAVA_OPTS=-Xmx...");
    }
  }

  /**
   * Everything but training. The data set's messages go to {@code log}; if {@code log} is also a
   * {@link dev.mlp.data.fetch.TransferListener}, it hears every download's bytes.
   *
   * @param threads the threads the kernels compute with (the results are the same bits for any)
   */
  public static Experiment prepare(
      Registry registry, LoadedConfig loaded, int threads, Consumer<String> log)
      throws IOException, ConfigException {
    ExperimentConfig cfg = loaded.config();
    // the JIT compiles the model's code on a copy while the data set is read
    Warmup warmup = Warmup.start(registry, loaded, registry.datasetShape(cfg.data()));
    DataSplits data;
    try {
      data = registry.dataset(cfg.data(), log);
    } finally {
      warmup.stop();
    }
    Kernels kernels = Kernels.forThreads(threads);
    Sequential model = build(registry, loaded, kernels, data.featureSize(), data.numClasses());
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
