package dev.mlp.run.sweep;

import dev.mlp.core.registry.MlpModule;

/** Registers the sweep launchers {@code local} and {@code slurm}. */
public final class SweepModule extends MlpModule {
  @Override
  protected void configure() {
    launcher(
        "local",
        LocalLauncherSpec.class,
        spec -> new LocalLauncher(spec),
        "trials as processes of this machine, threads per trial × parallel trials ≤ cores");
    launcher(
        "slurm",
        SlurmLauncherSpec.class,
        spec -> new SlurmLauncher(spec),
        "one Slurm job array (sbatch --array), a task per trial; the folder must be shared");
  }
}
