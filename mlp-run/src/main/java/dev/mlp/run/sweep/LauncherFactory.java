package dev.mlp.run.sweep;

import dev.mlp.core.config.LauncherSpec;

/** Builds a sweep launcher from its spec. */
@FunctionalInterface
public interface LauncherFactory<S extends LauncherSpec> {
  SweepLauncher create(S spec);
}
