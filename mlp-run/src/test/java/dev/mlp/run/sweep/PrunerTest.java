package dev.mlp.run.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a sweep trial stops early: the median rule, successive halving, and the sweep folder. */
class PrunerTest {
  @TempDir Path dir;

  private static final double NaN = Double.NaN;
  private static final String ACC = "test_accuracy";

  private static double[] c(double... v) {
    return v;
  }

  private static Pruner median(int warmup, int minTrials) {
    return new Pruner("median", warmup, minTrials, 3);
  }

  private static Pruner halving(int first, int minTrials, int reduction) {
    return new Pruner("successive_halving", first, minTrials, reduction);
  }

  // ---- median ----

  @Test
  void aTrialWhoseBestIsBelowTheMedianIsPrunedSayingSo() {
    // others' best by epoch 2: 0.90, 0.80, 0.70 → median 0.80; own best 0.75
    Pruner.Decision d =
        median(0, 3)
            .decide(c(0.75, 0.60), List.of(c(0.5, 0.9, 0.95), c(0.8, 0.7), c(0.6, 0.7)), true, ACC);
    assertThat(d.prune()).isTrue();
    assertThat(d.reason())
        .isEqualTo(
            "test_accuracy 0.7500 (best by epoch 2) is below the median 0.8000 of 3 other trials");
  }

  @Test
  void aTrialAboveOrAtTheMedianContinues() {
    List<double[]> others = List.of(c(0.9, 0.9), c(0.8, 0.8), c(0.7, 0.7));
    Pruner.Decision above = median(0, 3).decide(c(0.5, 0.85), others, true, ACC);
    assertThat(above.prune()).isFalse();
    assertThat(above.reason()).contains("0.8500").contains("is not below the median 0.8000");
    assertThat(median(0, 3).decide(c(0.8, 0.1), others, true, ACC).prune())
        .as("best so far (0.8) equal to the median")
        .isFalse();
    assertThat(median(0, 3).decide(c(0.7999, 0.1), others, true, ACC).prune()).isTrue();
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    List<double[]> others = List.of(c(0.9), c(0.8), c(0.6), c(0.5));
    assertThat(median(0, 1).decide(c(0.71), others, true, ACC).prune()).isFalse();
    assertThat(median(0, 1).decide(c(0.69), others, true, ACC).prune()).isTrue();
  }

  @Test
  void warmUpEpochsNeverPrune() {
    List<double[]> others = List.of(c(0.9, 0.9, 0.9, 0.9), c(0.9, 0.9, 0.9, 0.9));
    Pruner p = median(3, 1);
    for (int k = 1; k <= 3; k++) {
      double[] own = new double[k]; // zeros: far below everyone
      Pruner.Decision d = p.decide(own, others, true, ACC);
      assertThat(d.prune()).as("epoch %d", k).isFalse();
      assertThat(d.reason()).isEqualTo("epoch " + k + " is in the warm-up of 3");
    }
    assertThat(p.decide(new double[4], others, true, ACC).prune()).isTrue();
  }

  @Test
  void noEpochYetNeverPrunes() {
    assertThat(median(0, 1).decide(c(), List.of(c(0.9)), true, ACC).prune()).isFalse();
    assertThat(halving(0, 1, 2).decide(c(), List.of(c(0.9)), true, ACC).prune()).isFalse();
  }

  @Test
  void fewerThanMinTrialsAtThatEpochContinues() {
    List<double[]> others = List.of(c(0.9, 0.9), c(0.9, 0.9));
    Pruner.Decision d = median(0, 3).decide(c(0.1, 0.1), others, true, ACC);
    assertThat(d.prune()).isFalse();
    assertThat(d.reason()).isEqualTo("only 2 other trials have reached epoch 2 (pruning needs 3)");
    assertThat(median(0, 2).decide(c(0.1, 0.1), others, true, ACC).prune()).isTrue();
  }

  @Test
  void onlyTrialsThatReachedTheEpochCount() {
    // at epoch 3 only the two slow (0.5) trials count; the three fast ones stopped at epoch 2
    List<double[]> others =
        List.of(c(0.5, 0.5, 0.5), c(0.5, 0.5, 0.5), c(0.99, 0.99), c(0.99, 0.99), c(0.99));
    Pruner.Decision d = median(0, 2).decide(c(0.6, 0.6, 0.6), others, true, ACC);
    assertThat(d.prune()).isFalse();
    assertThat(d.reason()).endsWith("the median 0.5000 of 2 other trials");
    assertThat(median(0, 3).decide(c(0.1, 0.1, 0.1), others, true, ACC).prune())
        .as("2 trials at epoch 3 are fewer than 3, however many are at epoch 2")
        .isFalse();
    // and their best is taken over epochs 1..3 only, not their later epochs
    List<double[]> longer = List.of(c(0.5, 0.5, 0.5, 0.99), c(0.5, 0.5, 0.5, 0.99));
    assertThat(median(0, 2).decide(c(0.6, 0.6, 0.6), longer, true, ACC).prune()).isFalse();
  }

  @Test
  void bestSoFarIsComparedNotTheLastEpoch() {
    List<double[]> others = List.of(c(0.8, 0.6), c(0.8, 0.6), c(0.8, 0.6));
    // own dropped to 0.5 at epoch 2 but reached 0.85 at epoch 1; others' best is 0.8
    assertThat(median(0, 3).decide(c(0.85, 0.5), others, true, ACC).prune()).isFalse();
    // NaN earlier epochs are ignored
    List<double[]> longer = List.of(c(0.8, 0.6, 0.6), c(0.8, 0.6, 0.6), c(0.8, 0.6, 0.6));
    assertThat(median(0, 3).decide(c(NaN, 0.85, 0.5), longer, true, ACC).prune()).isFalse();
  }

  @Test
  void forALossSmallerIsBetter() {
    List<double[]> others = List.of(c(1.0, 0.3), c(1.0, 0.4), c(1.0, 0.5));
    Pruner.Decision d = median(0, 3).decide(c(0.9, 0.45), others, false, "test_loss");
    assertThat(d.prune()).isTrue();
    assertThat(d.reason())
        .isEqualTo(
            "test_loss 0.4500 (best by epoch 2) is above the median 0.4000 of 3 other trials");
    assertThat(median(0, 3).decide(c(0.9, 0.35), others, false, "test_loss").prune()).isFalse();
    assertThat(median(0, 3).decide(c(0.9, 0.4), others, false, "test_loss").prune()).isFalse();
  }

  @Test
  void aDivergedMetricIsPrunedOnceEnoughTrialsAreThere() {
    List<double[]> others = List.of(c(0.5, 0.5), c(0.5, 0.5));
    // its best so far (0.99 at epoch 1) would be above the median, but epoch 2's value is NaN
    Pruner.Decision d = median(0, 2).decide(c(0.99, NaN), others, true, ACC);
    assertThat(d.prune()).isTrue();
    assertThat(d.reason()).startsWith("test_accuracy NaN (best by epoch 2) is below the median");
    assertThat(median(0, 2).decide(c(0.1, NaN), others, false, "test_loss").prune())
        .as("NaN is the worst loss too")
        .isTrue();
    assertThat(median(0, 3).decide(c(0.99, NaN), others, true, ACC).prune())
        .as("too few trials to compare with")
        .isFalse();
    // another trial's all-NaN curve is the worst, not a hole in the median
    List<double[]> withDiverged = List.of(c(0.5, 0.5), c(NaN, NaN), c(NaN, NaN));
    assertThat(median(0, 3).decide(c(0.1, 0.1), withDiverged, true, ACC).prune()).isFalse();
  }

  @Test
  void theSameInputsGiveTheSameDecision() {
    List<double[]> others = List.of(c(0.9, 0.9), c(0.8, 0.8), c(0.7, 0.7));
    Pruner p = median(1, 2);
    assertThat(p.decide(c(0.5, 0.6), others, true, ACC))
        .isEqualTo(p.decide(c(0.5, 0.6), others, true, ACC));
  }

  // ---- successive halving ----

  /** n trials at epoch k, values 1, 2, ..., n; returns which (by value) continue. */
  private static List<Integer> survivors(Pruner p, int n, int k, boolean maximize) {
    List<Integer> kept = new ArrayList<>();
    for (int self = 1; self <= n; self++) {
      List<double[]> others = new ArrayList<>();
      for (int o = 1; o <= n; o++) {
        if (o != self) {
          others.add(curveEndingAt(k, o));
        }
      }
      if (!p.decide(curveEndingAt(k, self), others, maximize, ACC).prune()) {
        kept.add(self);
      }
    }
    return kept;
  }

  private static double[] curveEndingAt(int k, double v) {
    double[] c = new double[k];
    c[k - 1] = v;
    return c;
  }

  @Test
  void successiveHalvingKeepsExactlyTheTopCeilNOverEtaAtARung() {
    Pruner p = halving(1, 1, 3); // rungs 1, 3, 9, 27
    assertThat(survivors(p, 9, 1, true)).containsExactly(7, 8, 9);
    assertThat(survivors(p, 7, 3, true)).containsExactly(5, 6, 7); // ceil(7/3) = 3
    assertThat(survivors(p, 2, 9, true)).containsExactly(2); // ceil(2/3) = 1
    assertThat(survivors(p, 9, 3, false)).containsExactly(1, 2, 3);
    Pruner two = halving(2, 1, 2); // rungs 2, 4, 8
    assertThat(survivors(two, 5, 4, true)).containsExactly(3, 4, 5); // ceil(5/2) = 3
    assertThat(survivors(two, 4, 8, true)).containsExactly(3, 4);
  }

  @Test
  void successiveHalvingSaysWhereTheTrialRanks() {
    Pruner.Decision d =
        halving(1, 1, 3).decide(c(0.0, 0.0, 0.5), List.of(c(0, 0, 0.9), c(0, 0, 0.8)), true, ACC);
    assertThat(d.prune()).isTrue();
    assertThat(d.reason())
        .isEqualTo(
            "test_accuracy 0.5000 after epoch 3 ranks 3 of 3 trials at this rung; only the top 1"
                + " continue");
  }

  @Test
  void successiveHalvingNeverPrunesOffTheRungs() {
    Pruner p = halving(0, 1, 3); // rungs 1, 3, 9
    for (int k : new int[] {2, 4, 5, 6, 7, 8, 10}) {
      assertThat(survivors(p, 9, k, true)).as("epoch %d", k).hasSize(9);
    }
    Pruner q = halving(2, 1, 2); // rungs 2, 4, 8: epoch 1 is before the first rung
    assertThat(survivors(q, 4, 1, true)).hasSize(4);
    assertThat(survivors(q, 4, 3, true)).hasSize(4);
    assertThat(survivors(q, 4, 6, true)).hasSize(4);
    assertThat(q.decide(new double[3], List.of(c(1, 1, 1)), true, ACC).reason())
        .isEqualTo("epoch 3 is not a rung");
  }

  @Test
  void successiveHalvingKeepsTies() {
    Pruner p = halving(1, 1, 2);
    List<double[]> others = List.of(c(0.9), c(0.9), c(0.1));
    // n = 4, keep 2: two trials at 0.9 are better than 0.5 → pruned; at 0.9 itself, kept
    assertThat(p.decide(c(0.5), others, true, ACC).prune()).isTrue();
    assertThat(p.decide(c(0.9), List.of(c(0.9), c(0.9), c(0.9)), true, ACC).prune()).isFalse();
  }

  @Test
  void successiveHalvingRanksByTheValueAtTheRungAndOnlyTrialsThatReachedIt() {
    Pruner p = halving(1, 1, 2); // rung 2
    // own 0.5 at epoch 2 despite 0.99 at epoch 1; the other is 0.6 at epoch 2: pruned
    assertThat(p.decide(c(0.99, 0.5), List.of(c(0.1, 0.6)), true, ACC).prune()).isTrue();
    // the others that have not reached epoch 2 do not count: alone at the rung, it continues
    assertThat(p.decide(c(0.1, 0.1), List.of(c(0.9), c(0.9), c()), true, ACC).prune()).isFalse();
  }

  @Test
  void successiveHalvingNeedsMinTrialsAtTheRungSelfIncluded() {
    Pruner p = halving(1, 3, 2);
    Pruner.Decision d = p.decide(c(0.1), List.of(c(0.9)), true, ACC);
    assertThat(d.prune()).isFalse();
    assertThat(d.reason()).isEqualTo("only 2 trials have reached epoch 1 (pruning needs 3)");
    assertThat(p.decide(c(0.1), List.of(c(0.9), c(0.8)), true, ACC).prune()).isTrue();
  }

  @Test
  void successiveHalvingCountsNaNAsTheWorst() {
    Pruner p = halving(1, 1, 2);
    assertThat(p.decide(c(NaN), List.of(c(0.0)), true, ACC).prune()).isTrue();
    assertThat(p.decide(c(NaN), List.of(c(99.0)), false, "test_loss").prune()).isTrue();
    assertThat(p.decide(c(0.0), List.of(c(NaN)), true, ACC).prune()).isFalse();
  }

  // ---- parameters ----

  @Test
  void badParametersAreRefusedNamingTheFieldAndWhatItTakes() {
    assertThatThrownBy(() -> new Pruner("hyperband", 0, 1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pruner.type must be median or successive_halving, got hyperband");
    assertThatThrownBy(() -> new Pruner(null, 0, 1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pruner.type must be median or successive_halving, got none");
    assertThatThrownBy(() -> new Pruner("median", -1, 1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pruner.warmup_epochs must be 0 or more, got -1");
    assertThatThrownBy(() -> new Pruner("median", 0, 0, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pruner.min_trials must be at least 1, got 0");
    assertThatThrownBy(() -> new Pruner("successive_halving", 0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pruner.reduction must be at least 2, got 1");
    assertThat(new Pruner("median", 0, 1, 2)).isNotNull();
    assertThat(new Pruner("successive_halving", 5, 1, 4).warmupEpochs()).isEqualTo(5);
  }

  // ---- the sweep folder ----

  /**
   * A trial's metrics.jsonl as a run writes it: a step line, then an epoch line, per epoch (a NaN
   * written as Jackson writes it, {@code "NaN"}).
   */
  private static void metrics(Path sweep, SweepPlan.Trial t, double... acc) throws IOException {
    Path d = TrialResult.runDir(sweep, t);
    Files.createDirectories(d);
    StringBuilder s = new StringBuilder();
    for (int e = 1; e <= acc.length; e++) {
      s.append(
          String.format(
              Locale.ROOT,
              "{\"kind\":\"step\",\"epoch\":%d,\"step\":%d,\"loss\":0.6,\"accuracy\":0.1,"
                  + "\"lr\":0.01}\n",
              e,
              e * 1875 - 100));
      s.append(
          String.format(
              Locale.ROOT,
              "{\"kind\":\"epoch\",\"epoch\":%d,\"steps\":%d,\"loss\":0.5,\"train_accuracy\":0.8,"
                  + "\"test_loss\":0.4,\"test_accuracy\":%s,\"lr\":0.01,\"seconds\":0.2,"
                  + "\"eval_seconds\":0.03}\n",
              e,
              e * 1875,
              Double.isNaN(acc[e - 1]) ? "\"NaN\"" : Double.toString(acc[e - 1])));
    }
    Files.writeString(d.resolve("metrics.jsonl"), s.toString());
  }

  /** A written and read back sweep of {@code trials} trials over optimizer.lr. */
  private SweepPlan plan(int trials) throws IOException {
    List<SweepPlan.Trial> ts = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (int i = 0; i < trials; i++) {
      values.add("0.0" + (i + 1));
      ts.add(new SweepPlan.Trial(i, Map.of("optimizer.lr", values.get(i))));
    }
    new SweepPlan(
            "name: x\n", "configs/x.yaml", List.of(new Axis("optimizer.lr", values)), ts, ACC, true)
        .write(dir);
    return SweepPlan.read(dir);
  }

  @Test
  void fromTheSweepFolderItComparesWithTheOtherTrialsThatReachedTheEpoch() throws IOException {
    SweepPlan plan = plan(6);
    List<SweepPlan.Trial> t = plan.trials();
    metrics(dir, t.get(0), 0.80, 0.85);
    metrics(dir, t.get(1), 0.80, 0.86); // self
    metrics(dir, t.get(2), 0.70, 0.95, 0.96);
    metrics(dir, t.get(3), 0.99); // only epoch 1: does not count at epoch 2
    metrics(dir, t.get(4), 0.92, 0.93);
    // trial 5: not started (no folder)
    Pruner.Decision d = median(1, 3).decide(dir, plan, t.get(1));
    assertThat(d.prune()).isTrue();
    assertThat(d.reason())
        .isEqualTo(
            "test_accuracy 0.8600 (best by epoch 2) is below the median 0.9300 of 3 other trials");
    // with itself or trial 3 counted there would be 4
    assertThat(median(1, 4).decide(dir, plan, t.get(1)))
        .isEqualTo(
            new Pruner.Decision(
                false, "only 3 other trials have reached epoch 2 (pruning needs 4)"));
    // trial 4 is the best at epoch 2 of the four there: the top 2 of 4 continue
    assertThat(halving(1, 1, 2).decide(dir, plan, t.get(4)).prune()).isFalse();
    assertThat(halving(1, 1, 2).decide(dir, plan, t.get(0)).prune()).isTrue();
    // a trial with no epoch yet continues
    assertThat(median(0, 1).decide(dir, plan, t.get(5)).prune()).isFalse();
  }

  @Test
  void fromTheSweepFolderADivergedEpochIsPruned() throws IOException {
    SweepPlan plan = plan(3);
    List<SweepPlan.Trial> t = plan.trials();
    metrics(dir, t.get(0), 0.5, 0.95);
    metrics(dir, t.get(1), 0.5, 0.6);
    metrics(dir, t.get(2), 0.9, NaN); // its best, 0.9, is above the median 0.775, but it diverged
    assertThat(median(0, 2).decide(dir, plan, t.get(2)).prune()).isTrue();
    // to the others, it is its best so far (0.9) that counts: median (0.6, 0.9) = 0.75
    assertThat(median(0, 2).decide(dir, plan, t.get(0)).prune()).isFalse();
    assertThat(median(0, 2).decide(dir, plan, t.get(1)).prune()).isTrue();
  }
}
