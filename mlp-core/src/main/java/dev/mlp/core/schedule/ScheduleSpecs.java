package dev.mlp.core.schedule;

import dev.mlp.core.config.Field;
import dev.mlp.core.config.ScheduleSpec;

/** The built-in schedules' specs. */
public final class ScheduleSpecs {
  private ScheduleSpecs() {}

  static double warmup(Double w) {
    double v = w == null ? 0 : w;
    if (!(v >= 0) || v > 1e6) {
      throw new IllegalArgumentException("warmup_epochs must be a number >= 0, got " + w);
    }
    return v;
  }

  static double factorIn01(String name, Double value, double fallback, boolean zeroAllowed) {
    double v = value == null ? fallback : value;
    if (!(v <= 1) || !(zeroAllowed ? v >= 0 : v > 0)) {
      throw new IllegalArgumentException(
          name + " must be in " + (zeroAllowed ? "[0, 1]" : "(0, 1]") + ", got " + value);
    }
    return v;
  }

  /** {@code constant}: the optimizer's rate throughout (after any warm-up). */
  public record Constant(
      @Field(value = "epochs of linear warm-up first", fallback = "0") Double warmupEpochs)
      implements ScheduleSpec {
    public Constant {
      warmupEpochs = warmup(warmupEpochs);
    }
  }

  /** {@code step}: the rate times gamma every {@code step_epochs} epochs. */
  public record Step(
      @Field("epochs between decays") Double stepEpochs,
      @Field(value = "factor of each decay", fallback = "0.1") Double gamma,
      @Field(value = "epochs of linear warm-up first", fallback = "0") Double warmupEpochs)
      implements ScheduleSpec {
    public Step {
      if (stepEpochs == null || !(stepEpochs > 0)) {
        throw new IllegalArgumentException(
            "step_epochs is required (a positive number of epochs), got " + stepEpochs);
      }
      gamma = factorIn01("gamma", gamma, 0.1, false);
      warmupEpochs = warmup(warmupEpochs);
    }
  }

  /** {@code exponential}: the rate times gamma after every epoch. */
  public record Exponential(
      @Field(value = "factor per epoch", fallback = "0.95") Double gamma,
      @Field(value = "epochs of linear warm-up first", fallback = "0") Double warmupEpochs)
      implements ScheduleSpec {
    public Exponential {
      gamma = factorIn01("gamma", gamma, 0.95, false);
      warmupEpochs = warmup(warmupEpochs);
    }
  }

  /** {@code cosine}: from the rate down to min_factor·rate along half a cosine, step by step. */
  public record Cosine(
      @Field(value = "the final rate as a fraction of the starting one", fallback = "0")
          Double minFactor,
      @Field(value = "epochs of linear warm-up first", fallback = "0") Double warmupEpochs)
      implements ScheduleSpec {
    public Cosine {
      minFactor = factorIn01("min_factor", minFactor, 0.0, true);
      warmupEpochs = warmup(warmupEpochs);
    }
  }
}
