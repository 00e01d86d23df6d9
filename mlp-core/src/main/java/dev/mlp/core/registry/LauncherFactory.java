package dev.mlp.core.registry;

import dev.mlp.core.config.LauncherSpec;
import dev.mlp.core.sweep.SweepLauncher;

/** Builds a sweep launcher from its spec. */
@FunctionalInterface
public interface LauncherFactory<S extends LauncherSpec> {
  SweepLauncher create(S spec);
}
