package com.example.swish;

import dev.mlp.core.nn.Layer;
import dev.mlp.core.nn.Parameter;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.train.EpochMetrics;
import dev.mlp.core.train.TrainingListener;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A training callback: after every {@code every} epochs, one line with the L2 norm of each
 * parameter, named as the checkpoint names it ({@code layers.0.weight}). Weights whose norm grows
 * without bound are the first sign of a learning rate that is too high.
 */
final class WeightNorms implements TrainingListener {
  private final Sequential model;
  private final int every;
  private final Consumer<String> log;

  WeightNorms(Sequential model, int every, Consumer<String> log) {
    this.model = model;
    this.every = every;
    this.log = log;
  }

  @Override
  public void onEpoch(EpochMetrics metrics, boolean improved) {
    if (metrics.epoch() % every != 0) {
      return;
    }
    StringBuilder line = new StringBuilder("weight norms after epoch " + metrics.epoch() + ":");
    for (int i = 0; i < model.layers().size(); i++) {
      Layer layer = model.layers().get(i);
      for (Parameter p : layer.parameters()) {
        double sq = 0;
        float[] w = p.value().data();
        for (int j = 0; j < p.size(); j++) {
          sq += (double) w[j] * w[j];
        }
        line.append(String.format(Locale.ROOT, " layers.%d.%s %.4f", i, p.name(), Math.sqrt(sq)));
      }
    }
    log.accept(line.toString());
  }
}
