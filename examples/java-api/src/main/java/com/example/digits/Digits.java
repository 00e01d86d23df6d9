package com.example.digits;

import dev.mlp.core.data.Dataset;
import dev.mlp.core.train.ClassificationMetrics;
import dev.mlp.run.Mlp;
import dev.mlp.run.Model;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Trains a digit classifier with mlp and uses it, all from Java.
 *
 * <p>Arguments: the config (e.g. configs/mnist-2layer.yaml), the run folder to write, the number
 * of epochs.
 */
public final class Digits {
  private Digits() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: Digits CONFIG RUN_FOLDER EPOCHS");
      System.exit(2);
    }
    Path config = Path.of(args[0]);
    Path runDir = Path.of(args[1]);

    // 1. train: the same run folder `mlp train` writes; the data set's messages go to stderr
    Mlp.Trained run =
        Mlp.training(config)
            .set("training.epochs", args[2])
            .out(runDir)
            .log(System.err::println)
            .onEpoch(
                e ->
                    System.out.printf(
                        "epoch %d: loss %.4f, test accuracy %.4f%n",
                        e.epoch(), e.loss(), e.testAccuracy()))
            .train();
    System.out.printf("trained: test accuracy %.4f, run folder %s%n", run.testAccuracy(), runDir);

    // 2. load the model back from its checkpoint, as another application would
    Model model = Model.load(run.checkpoint());

    // 3. predict a batch: the first eight test images, rows of 784 floats in [0, 1]
    Dataset test = run.data().test();
    int d = test.featureSize();
    float[][] rows = new float[8][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = Arrays.copyOfRange(test.features(), i * d, (i + 1) * d);
    }
    List<Model.Prediction> predictions = model.predict(rows);
    for (int i = 0; i < rows.length; i++) {
      Model.Prediction p = predictions.get(i);
      System.out.printf(
          "test image %d: predicted %d (%.1f%%), labelled %d%n",
          i, p.label(), 100 * p.probability(), test.labels()[i]);
    }

    // 4. evaluate on the whole test set: the figures `mlp eval` prints
    ClassificationMetrics m = model.evaluate(test);
    System.out.printf(
        "evaluated: accuracy %.4f, loss %.4f, macro F1 %.4f on %d images%n",
        m.accuracy(), m.loss(), m.macroF1(), m.count());
  }
}
