package dev.mlp.core.config;

/**
 * The spec of a sweep launcher (a sweep file's {@code launcher: {type: NAME, ...}}, or {@code mlp
 * sweep --launcher NAME}): a record registered with {@code
 * dev.mlp.run.sweep.LauncherModule.launcher}, like every other kind.
 */
public interface LauncherSpec {}
