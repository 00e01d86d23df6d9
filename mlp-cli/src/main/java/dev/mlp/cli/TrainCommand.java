package dev.mlp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlp.cli.config.ConfigLoader;
import dev.mlp.cli.config.LoadedConfig;
import dev.mlp.core.config.ExperimentConfig;
import dev.mlp.core.config.SpecException;
import dev.mlp.core.data.DataSplits;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.optim.Optimizer;
import dev.mlp.core.registry.ModelBuilder;
import dev.mlp.core.registry.Registry;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.train.EpochMetrics;
import dev.mlp.core.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mlp train --config FILE}: trains the configured model, one line per epoch. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train the model a YAML config describes and report each epoch.")
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE",
      description = "The YAML config, e.g. configs/mnist-2layer.yaml.")
  Path config;

  @Option(names = "--epochs", paramLabel = "N", description = "Override training.epochs.")
  Integer epochs;

  @Option(names = "--seed", paramLabel = "N", description = "Override seed.")
  Long seed;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override any config value, e.g. --set optimizer.lr=0.1 (repeatable).")
  List<String> sets = new ArrayList<>();

  @Option(names = "--json", description = "One JSON object per epoch on stdout, nothing else.")
  boolean json;

  @Option(names = "--verbose", description = "Print stack traces on errors.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Registry registry = Modules.registry();
    List<ConfigLoader.Override> overrides = new ArrayList<>();
    if (epochs != null) {
      overrides.add(new ConfigLoader.Override("training.epochs", String.valueOf(epochs)));
    }
    if (seed != null) {
      overrides.add(new ConfigLoader.Override("seed", String.valueOf(seed)));
    }
    for (String s : sets) {
      try {
        overrides.add(ConfigLoader.Override.parse(s));
      } catch (IllegalArgumentException e) {
        throw new dev.mlp.cli.config.ConfigException(e.getMessage());
      }
    }
    LoadedConfig loaded = new ConfigLoader(registry).load(config, overrides);
    ExperimentConfig cfg = loaded.config();

    DataSplits data =
        registry.dataset(
            cfg.data(),
            line -> {
              err.println(line);
              err.flush();
            });
    Sequential model;
    try {
      model =
          new ModelBuilder(registry, Kernels.defaults())
              .build(cfg.model(), data.featureSize(), data.numClasses(), cfg.seed());
    } catch (SpecException e) {
      throw loaded.error(e);
    }
    Optimizer optimizer = registry.optimizer(cfg.optimizer());

    PrintWriter info = json ? err : out;
    info.printf(
        "%s: %s, seed %d, %d epochs of batch %d, %s%n",
        cfg.name(),
        config,
        cfg.seed(),
        cfg.training().epochs(),
        cfg.training().batchSize(),
        optimizer);
    info.printf(
        "data: %s (%,d train, %,d test)%n",
        data.train().name().replaceAll("/.*", ""), data.train().count(), data.test().count());
    info.println(model);
    info.flush();

    ObjectMapper jsonMapper = new ObjectMapper();
    if (!json) {
      out.printf(
          "%5s %9s %10s %10s %9s %8s%n",
          "epoch", "loss", "train_acc", "test_loss", "test_acc", "seconds");
      out.flush();
    }
    new Trainer(model, optimizer, cfg.training(), cfg.seed())
        .fit(data.train(), data.test(), m -> print(m, out, jsonMapper));
    return ExitCode.OK;
  }

  private void print(EpochMetrics m, PrintWriter out, ObjectMapper mapper) {
    if (json) {
      ObjectNode o = mapper.createObjectNode();
      o.put("epoch", m.epoch());
      o.put("steps", m.steps());
      o.put("loss", m.loss());
      o.put("train_accuracy", m.trainAccuracy());
      o.put("test_loss", m.testLoss());
      o.put("test_accuracy", m.testAccuracy());
      o.put("seconds", m.seconds());
      o.put("eval_seconds", m.evalSeconds());
      out.println(o);
    } else {
      out.printf(
          "%5d %9.4f %10.4f %10.4f %9.4f %8.2f%n",
          m.epoch(), m.loss(), m.trainAccuracy(), m.testLoss(), m.testAccuracy(), m.seconds());
    }
    out.flush();
  }
}
