package dev.mlp.run.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlp.core.config.LauncherSpec;
import java.util.Map;

/**
 * A sweep file ({@code sweeps/*.yaml}) as written:
 *
 * <pre>{@code
 * config: ../configs/mnist-2layer.yaml   # relative to the sweep file
 * metric: test_accuracy                   # what picks the best (default: by the task)
 * direction: max                          # max or min (default: max for accuracy and r2)
 * search: random                          # grid (default: every combination) or random
 * budget: 20                              # trials of a random search; at most this many of a grid
 * seed: 7                                 # the random search's own seed (default 0)
 * threads: 1                              # threads (cores) per trial
 * axes:
 *   optimizer.lr: {log_uniform: [0.001, 0.3]}
 *   model.layers[0].units: [64, 128, 256]
 *   seed: {range: [1, 3]}
 * launcher: {type: local, parallel: 2}   # or {type: slurm, partition: ..., time: ..., mem: ...}
 * pruner: {type: median, warmup_epochs: 2, min_trials: 4}
 * }</pre>
 */
public record SweepFileSpec(
    String config,
    String metric,
    String direction,
    String search,
    Integer budget,
    Long seed,
    Integer threads,
    Map<String, JsonNode> axes,
    LauncherSpec launcher,
    PrunerSpec pruner) {

  /**
   * {@code pruner:}: stops trials whose metric falls behind (see {@link Pruner}).
   *
   * @param type {@code median} or {@code successive_halving}
   * @param warmupEpochs epochs before any pruning (median), or the first rung (successive halving)
   * @param minTrials trials that must have reached an epoch before it prunes there
   * @param reduction successive halving's η: a rung keeps the top 1/η
   */
  public record PrunerSpec(
      String type, Integer warmupEpochs, Integer minTrials, Integer reduction) {
    public Pruner pruner() {
      if (type == null) {
        throw new IllegalArgumentException("pruner.type is required: median or successive_halving");
      }
      return new Pruner(
          type,
          warmupEpochs != null ? warmupEpochs : 1,
          minTrials != null ? minTrials : 4,
          reduction != null ? reduction : 2);
    }
  }
}
