package dev.mlp.core.config;

/**
 * The configuration of a learning-rate schedule ({@code training.schedule}), chosen in YAML by its
 * registered type name. Every schedule may be preceded by a linear warm-up of {@link
 * #warmupEpochs()} epochs.
 */
public interface ScheduleSpec {
  /** Epochs (fractions allowed) over which the rate rises linearly from 0 to the schedule's. */
  Double warmupEpochs();
}
