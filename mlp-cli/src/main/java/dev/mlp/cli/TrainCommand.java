package dev.mlp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlp.core.config.ExperimentConfig;
import dev.mlp.core.train.EpochMetrics;
import dev.mlp.core.train.Trainer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin ExperimentOptions options;

  @Option(names = "--json", description = "One JSON object per epoch on stdout, nothing else.")
  boolean json;

  private boolean validation;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Experiment x = Experiment.prepare(options, err);
    ExperimentConfig cfg = x.config();

    PrintWriter info = json ? err : out;
    info.printf(
        "%s: %s, seed %d, %d epochs of batch %d, %s, %s%n",
        cfg.name(),
        options.config,
        cfg.seed(),
        cfg.training().epochs(),
        cfg.training().batchSize(),
        x.optimizer(),
        x.kernels());
    info.printf(
        "data: %s (%,d train, %,d test)%n",
        x.data().train().name().replaceAll("/.*", ""),
        x.data().train().count(),
        x.data().test().count());
    info.println(x.model());
    info.flush();

    ObjectMapper jsonMapper = new ObjectMapper();
    validation = cfg.training().validation() > 0;
    if (!json) {
      out.printf(
          "%5s %9s %10s %10s %9s %8s%s%n",
          "epoch",
          "loss",
          "train_acc",
          "test_loss",
          "test_acc",
          "seconds",
          validation ? String.format(" %9s", "val_acc") : "");
      out.flush();
    }
    Trainer.Outcome outcome =
        new Trainer(x.model(), x.optimizer(), cfg.training(), cfg.seed(), x.kernels(), x.schedule())
            .fitKeepingBest(x.data().train(), x.data().test(), m -> print(m, out, jsonMapper));
    int last = outcome.epochs().size();
    if (outcome.stoppedEarly()) {
      info.printf(
          "stopped after epoch %d: validation accuracy did not improve for %d epochs%n",
          last, cfg.training().earlyStopping().patience());
    }
    if (validation) {
      EpochMetrics kept = outcome.epochs().get(outcome.keptEpoch() - 1);
      info.printf(
          "kept the weights of epoch %d (validation accuracy %.4f, test accuracy %.4f)%n",
          kept.epoch(), kept.validationAccuracy(), kept.testAccuracy());
    }
    info.flush();
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
      o.put("lr", m.learningRate());
      if (m.hasValidation()) {
        o.put("validation_loss", m.validationLoss());
        o.put("validation_accuracy", m.validationAccuracy());
      }
      out.println(o);
    } else {
      out.printf(
          "%5d %9.4f %10.4f %10.4f %9.4f %8.2f%s%n",
          m.epoch(),
          m.loss(),
          m.trainAccuracy(),
          m.testLoss(),
          m.testAccuracy(),
          m.seconds(),
          m.hasValidation() ? String.format(" %9.4f", m.validationAccuracy()) : "");
    }
    out.flush();
  }
}
