package dev.mlp.run.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a running sweep trial should stop early, as Optuna's {@code MedianPruner} and ASHA
 * (asynchronous successive halving) decide it. Trials run as separate processes (local ones, or
 * Slurm array tasks sharing the sweep folder), so each trial asks at the end of each of its epochs,
 * from the other trials' curves as the folder holds them then: nothing is shared but the folder.
 *
 * <p>A <b>curve</b> is a trial's metric after each epoch so far ({@code [0]} is epoch 1; NaN where
 * an epoch lacks it), as {@link TrialResult#curve} reads it. A trial has <b>reached</b> epoch k
 * when its curve has at least k entries. A NaN value (a diverged metric) counts as the worst value
 * there is.
 *
 * <ul>
 *   <li>{@code median}: at epoch {@code k = own.length > warmupEpochs}, the trial's best value so
 *       far (over its epochs 1..k, ignoring NaN; the worst if its epoch-k value is NaN) is compared
 *       with the median of the other trials' best values over their epochs 1..k, counting only the
 *       trials that have reached epoch k. With fewer than {@code minTrials} such trials it
 *       continues; otherwise it stops if strictly worse than the median (an even count's median is
 *       the mean of the middle two).
 *   <li>{@code successive_halving}: rungs at epochs {@code b × reduction^j} (j = 0, 1, ...), where
 *       {@code b} is {@code warmupEpochs}, or 1 if that is 0. Only at a rung epoch k: all the
 *       trials that have reached epoch k, this one included, are ranked by their value at epoch k,
 *       and this one continues only if it is in the top {@code ceil(n / reduction)} of those n
 *       (ties kept: it stops only if at least that many are strictly better). With fewer than
 *       {@code minTrials} trials (this one included) at the rung it continues. Off the rungs it
 *       continues.
 * </ul>
 *
 * <p>A decision is pure: the same curves give the same decision, whenever and wherever asked.
 *
 * @param type {@code median} or {@code successive_halving}
 * @param warmupEpochs {@code median}: the epochs that never prune; {@code successive_halving}: the
 *     first rung (1 if 0)
 * @param minTrials the fewest trials to compare with before pruning: other trials for {@code
 *     median}, trials at the rung (this one included) for {@code successive_halving}
 * @param reduction {@code successive_halving}'s η: a rung keeps the top 1/η and the next rung is η
 *     times later; unused by {@code median}
 */
public record Pruner(String type, int warmupEpochs, int minTrials, int reduction) {

  public static final String MEDIAN = "median";
  public static final String SUCCESSIVE_HALVING = "successive_halving";

  public Pruner {
    if (!MEDIAN.equals(type) && !SUCCESSIVE_HALVING.equals(type)) {
      throw new IllegalArgumentException(
          "pruner.type must be "
              + MEDIAN
              + " or "
              + SUCCESSIVE_HALVING
              + ", got "
              + (type == null ? "none" : type));
    }
    if (warmupEpochs < 0) {
      throw new IllegalArgumentException(
          "pruner.warmup_epochs must be 0 or more, got " + warmupEpochs);
    }
    if (minTrials < 1) {
      throw new IllegalArgumentException("pruner.min_trials must be at least 1, got " + minTrials);
    }
    if (reduction < 2) {
      throw new IllegalArgumentException("pruner.reduction must be at least 2, got " + reduction);
    }
  }

  /**
   * What the pruner decided.
   *
   * @param prune whether the trial should stop now
   * @param reason one line for the log and the trial's status, saying why
   */
  public record Decision(boolean prune, String reason) {}

  /**
   * Whether a trial should stop now.
   *
   * @param own the trial's curve: its metric after each epoch so far, the last entry the epoch just
   *     ended
   * @param others the other trials' curves (any length, empty ones included: only those that have
   *     reached the trial's epoch count)
   * @param maximize whether larger is better
   * @param metric the metric's name, for the reason
   */
  public Decision decide(double[] own, List<double[]> others, boolean maximize, String metric) {
    int k = own.length;
    if (k == 0) {
      return new Decision(false, "no epoch has ended yet");
    }
    return MEDIAN.equals(type)
        ? median(own, others, maximize, metric)
        : halving(own, others, maximize, metric);
  }

  /**
   * Reads the trial's own curve and every other trial's that has one from the sweep folder, and
   * decides. The trial's epoch line must be in its {@code metrics.jsonl} before it asks.
   */
  public Decision decide(Path sweepDir, SweepPlan plan, SweepPlan.Trial self) {
    double[] own = TrialResult.curve(sweepDir, self, plan.metric());
    List<double[]> others = new ArrayList<>();
    for (SweepPlan.Trial t : plan.trials()) {
      if (t.index() == self.index()) {
        continue;
      }
      double[] c = TrialResult.curve(sweepDir, t, plan.metric());
      if (c.length > 0) {
        others.add(c);
      }
    }
    return decide(own, others, plan.maximize(), plan.metric());
  }

  private Decision median(double[] own, List<double[]> others, boolean maximize, String metric) {
    int k = own.length;
    if (k <= warmupEpochs) {
      return new Decision(false, "epoch " + k + " is in the warm-up of " + warmupEpochs);
    }
    double mine = Double.isNaN(own[k - 1]) ? worst(maximize) : best(own, k, maximize);
    List<Double> theirs = new ArrayList<>();
    for (double[] c : others) {
      if (c.length >= k) {
        theirs.add(best(c, k, maximize));
      }
    }
    int n = theirs.size();
    if (n < minTrials) {
      return new Decision(false, fewer(n, "other trials", k));
    }
    double[] v = theirs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    boolean worse = maximize ? mine < median : mine > median;
    String side = maximize ? "below" : "above";
    return new Decision(
        worse,
        metric
            + " "
            + text(mine)
            + " (best by epoch "
            + k
            + ") is "
            + (worse ? "" : "not ")
            + side
            + " the median "
            + text(median)
            + " of "
            + n
            + " other trials");
  }

  private Decision halving(double[] own, List<double[]> others, boolean maximize, String metric) {
    int k = own.length;
    int first = warmupEpochs == 0 ? 1 : warmupEpochs;
    long rung = first;
    while (rung < k) {
      rung *= reduction;
    }
    if (rung != k) {
      return new Decision(false, "epoch " + k + " is not a rung");
    }
    double mine = value(own[k - 1], maximize);
    int n = 1;
    int better = 0;
    for (double[] c : others) {
      if (c.length >= k) {
        n++;
        double theirs = value(c[k - 1], maximize);
        if (maximize ? theirs > mine : theirs < mine) {
          better++;
        }
      }
    }
    if (n < minTrials) {
      return new Decision(false, fewer(n, "trials", k));
    }
    int keep = (n + reduction - 1) / reduction;
    boolean prune = better >= keep;
    return new Decision(
        prune,
        metric
            + " "
            + text(mine)
            + " after epoch "
            + k
            + " ranks "
            + (better + 1)
            + " of "
            + n
            + " trials at this rung; "
            + (prune ? "only " : "")
            + "the top "
            + keep
            + " continue");
  }

  /** The best of {@code c[0..k-1]} by the direction, NaN ignored; the worst if all are NaN. */
  private static double best(double[] c, int k, boolean maximize) {
    double b = worst(maximize);
    for (int i = 0; i < k; i++) {
      if (!Double.isNaN(c[i])) {
        b = maximize ? Math.max(b, c[i]) : Math.min(b, c[i]);
      }
    }
    return b;
  }

  private static double value(double v, boolean maximize) {
    return Double.isNaN(v) ? worst(maximize) : v;
  }

  private static double worst(boolean maximize) {
    return maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
  }

  private String fewer(int n, String what, int k) {
    return "only "
        + n
        + " "
        + what
        + " have reached epoch "
        + k
        + " (pruning needs "
        + minTrials
        + ")";
  }

  private static String text(double v) {
    return Double.isInfinite(v) ? "NaN" : String.format(Locale.ROOT, "%.4f", v);
  }
}
