package dev.mlp.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlp.core.config.ExperimentConfig;
import dev.mlp.core.data.DataSplits;
import dev.mlp.core.data.Dataset;
import dev.mlp.core.train.ClassificationMetrics;
import dev.mlp.run.Model;
import dev.mlp.run.config.ConfigException;
import dev.mlp.run.folder.Summary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mlp eval --checkpoint FILE}: accuracy, loss, per-class figures, confusion matrix. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description =
        "Evaluate a checkpoint on its data set's test split (or --split train): accuracy, loss,"
            + " per-class precision/recall/F1 and the confusion matrix.")
final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "FILE",
      description = "A checkpoint, e.g. runs/<run>/checkpoints/best.safetensors.")
  Path checkpoint;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Build the model and data from this config instead of the checkpoint's own.")
  Path config;

  @Option(
      names = "--split",
      paramLabel = "SPLIT",
      defaultValue = "test",
      description = "test (default) or train.")
  String split;

  @Option(names = "--json", description = "The figures as one JSON object on stdout.")
  boolean json;

  @Mixin PluginOptions plugins;

  @Option(names = "--verbose", description = "Print stack traces on errors.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!split.equals("test") && !split.equals("train")) {
      throw new ConfigException("--split must be test or train, got '" + split + "'");
    }
    Model model = Model.load(checkpoint, config, plugins.registry());
    ExperimentConfig cfg = model.config();
    DataSplits data = model.data(new DataLog(err, !json && DataLog.terminal()));
    Dataset set = split.equals("test") ? data.test() : data.train();
    if (!set.classification()) {
      return regression(model, set, out);
    }
    ClassificationMetrics m = model.evaluate(set);
    if (json) {
      ObjectNode o = Summary.figures(m, data.classes());
      o.put("name", cfg.name());
      out.println(where(o, model));
    } else {
      heading(out, model, set);
      out.print(Metrics.table(m, data.classes()));
    }
    out.flush();
    return ExitCode.OK;
  }

  /** A regressor's figures: its loss (mse, huber, l1), MAE, RMSE and R², as a line or JSON. */
  private int regression(Model model, Dataset set, PrintWriter out) throws Exception {
    var m =
        dev.mlp.core.train.RegressionMetrics.of(
            model.network(), set, model.config().training().evalBatchSize());
    if (json) {
      ObjectNode o = Summary.of(model.config().name(), model.epoch(), false, m).toJson();
      o.remove("kept_epoch");
      o.remove("stopped_early");
      o.remove("points");
      out.println(where(o, model));
    } else {
      heading(out, model, set);
      out.printf(
          java.util.Locale.ROOT,
          "loss (%s) %.4f   MAE %.4f   RMSE %.4f   R² %.4f   (%,d samples)%n",
          model.network().loss().typeName(),
          m.loss(),
          m.mae(),
          m.rmse(),
          m.r2(),
          m.count());
    }
    out.flush();
    return ExitCode.OK;
  }

  /** The checkpoint, epoch and split added to an evaluation's JSON. */
  private ObjectNode where(ObjectNode o, Model model) throws Exception {
    o.put("checkpoint", checkpoint.toString());
    o.put("epoch", model.epoch());
    o.put("split", split);
    return o;
  }

  /** The line above an evaluation's figures: what was evaluated on what. */
  private void heading(PrintWriter out, Model model, Dataset set) throws Exception {
    out.printf(
        "%s (%s, after epoch %d) on the %s split of %s%n%n",
        checkpoint, model.config().name(), model.epoch(), split, set.name().replaceAll("/.*", ""));
  }
}
