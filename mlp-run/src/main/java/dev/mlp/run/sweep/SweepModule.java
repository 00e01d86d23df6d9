package dev.mlp.run.sweep;

/** Registers the sweep launchers {@code local} and {@code slurm}. */
public final class SweepModule extends LauncherModule {
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
