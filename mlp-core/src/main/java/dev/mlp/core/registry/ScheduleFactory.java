package dev.mlp.core.registry;

import dev.mlp.core.config.ScheduleSpec;
import dev.mlp.core.schedule.Schedule;

/** Builds a learning-rate schedule from its spec. */
@FunctionalInterface
public interface ScheduleFactory<S extends ScheduleSpec> {
  Schedule create(S spec);
}
