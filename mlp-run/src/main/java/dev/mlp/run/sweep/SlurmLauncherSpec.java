package dev.mlp.run.sweep;

import dev.mlp.core.config.Field;
import dev.mlp.core.config.LauncherSpec;
import java.util.List;

/**
 * {@code launcher: {type: slurm, ...}}: one Slurm job array, a task per trial, each asking for the
 * sweep's threads as {@code --cpus-per-task}.
 *
 * @param partition {@code sbatch --partition}, or null
 * @param time {@code --time} per trial (e.g. {@code 1:00:00}), or null
 * @param mem {@code --mem} per trial (e.g. {@code 4G}), or null
 * @param options any other sbatch options, e.g. {@code [--account=ml]}
 * @param noWait whether {@code mlp sweep} returns once the array is submitted, instead of waiting
 *     for it and printing the table
 */
public record SlurmLauncherSpec(
    @Field(value = "sbatch --partition", fallback = "the cluster's default") String partition,
    @Field(value = "sbatch --time per trial, e.g. 1:00:00", fallback = "the partition's")
        String time,
    @Field(value = "sbatch --mem per trial, e.g. 4G", fallback = "the partition's") String mem,
    @Field(value = "other sbatch options, e.g. [--account=ml]", fallback = "[]")
        List<String> options,
    @Field(value = "return once the array is submitted", fallback = "false") boolean noWait)
    implements LauncherSpec {
  public SlurmLauncherSpec {
    options = options == null ? List.of() : List.copyOf(options);
    for (String o : options) {
      if (o == null || !o.startsWith("-")) {
        throw new IllegalArgumentException(
            "options are sbatch options such as --account=ml, got " + o);
      }
    }
  }
}
