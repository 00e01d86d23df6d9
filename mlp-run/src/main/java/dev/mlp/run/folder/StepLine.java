package dev.mlp.run.folder;

import dev.mlp.core.train.TrainingListener.StepProgress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A step line of metrics.jsonl: where the run was and the epoch's running figures then.
 *
 * @param running the epoch's running means so far by name ({@code loss}, and {@code accuracy} for a
 *     classifier), in the order they are written
 */
public record StepLine(int epoch, long step, Map<String, Double> running, double learningRate) {

  public StepLine {
    running = Collections.unmodifiableMap(new LinkedHashMap<>(running));
  }

  /** The line of the step {@code p} reports. */
  public static StepLine of(StepProgress p) {
    Map<String, Double> running = new LinkedHashMap<>();
    running.put("loss", p.runningLoss());
    if (!Double.isNaN(p.runningAccuracy())) { // a regression has none
      running.put("accuracy", p.runningAccuracy());
    }
    return new StepLine(p.epoch(), p.steps(), running, p.learningRate());
  }
}
