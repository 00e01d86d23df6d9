package dev.mlp.run.sweep;

import dev.mlp.run.folder.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The trials as one Slurm job array: a script {@code DIR/slurm/array-*.sh} whose task {@code i}
 * runs trial {@code i}'s command, submitted with {@code sbatch --parsable}; the job's id is kept in
 * {@code DIR/slurm/jobs}. Unless told not to wait, it then watches the trials' status files and the
 * queue ({@code squeue}) until every task has left it.
 */
public final class SlurmLauncher implements SweepLauncher {
  private final SlurmLauncherSpec spec;

  public SlurmLauncher(SlurmLauncherSpec spec) {
    this.spec = spec;
  }

  @Override
  public int launch(SweepTrials trials) throws Exception {
    List<Integer> todo = trials.pending();
    if (todo.isEmpty()) {
      return OK;
    }
    Path dir = trials.dir();
    Path slurm = Files.createDirectories(dir.resolve("slurm"));
    StringBuilder array = new StringBuilder();
    for (int i : todo) {
      array.append(array.length() == 0 ? "" : ",").append(i);
    }
    StringBuilder script = new StringBuilder("#!/bin/bash\n");
    script.append("#SBATCH --job-name=mlp-sweep-").append(dir.getFileName()).append('\n');
    script.append("#SBATCH --array=").append(array).append('\n');
    script.append("#SBATCH --cpus-per-task=").append(trials.threads()).append('\n');
    script.append("#SBATCH --output=").append(slurm).append("/%A_%a.out\n");
    script.append("#SBATCH --open-mode=append\n");
    script.append("# each task: one trial of the sweep, as mlp sweep's local launcher runs it\n");
    script.append("exec");
    for (String c : trials.command("$SLURM_ARRAY_TASK_ID")) {
      script.append(' ').append(c.equals("$SLURM_ARRAY_TASK_ID") ? '"' + c + '"' : quote(c));
    }
    script.append('\n');
    Path file = slurm.resolve("array-" + System.currentTimeMillis() + ".sh");
    AtomicFile.write(file, script.toString().getBytes(StandardCharsets.UTF_8));
    List<String> sbatch = new ArrayList<>(List.of("sbatch", "--parsable"));
    if (spec.partition() != null) {
      sbatch.add("--partition=" + spec.partition());
    }
    if (spec.time() != null) {
      sbatch.add("--time=" + spec.time());
    }
    if (spec.mem() != null) {
      sbatch.add("--mem=" + spec.mem());
    }
    sbatch.addAll(spec.options());
    sbatch.add(file.toString());
    Process p;
    try {
      p = new ProcessBuilder(sbatch).redirectErrorStream(false).start();
    } catch (IOException e) {
      throw new IOException(
          "sbatch cannot be run ("
              + e.getMessage()
              + "): the slurm launcher needs Slurm's commands on PATH; the sweep folder "
              + dir
              + " stays, continue with "
              + trials.resumeCommand());
    }
    String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    int exit = p.waitFor();
    if (exit != 0 || stdout.isEmpty()) {
      String why =
          stderr.isEmpty()
              ? "exit code " + exit
              : stderr.lines().reduce((a, b) -> b).orElse(stderr);
      throw new IOException(
          "sbatch refused the job array: "
              + why
              + "; the sweep folder "
              + dir
              + " stays, continue with "
              + trials.resumeCommand());
    }
    String job = stdout.split(";")[0].strip();
    Files.writeString(
        slurm.resolve("jobs"),
        job + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    trials
        .out()
        .printf(
            "submitted Slurm job array %s: %d trial%s (%s)%n",
            job, todo.size(), todo.size() == 1 ? "" : "s", file);
    trials.out().flush();
    if (spec.noWait()) {
      return OK;
    }
    Set<Integer> seen = new HashSet<>();
    Set<Integer> reported = new HashSet<>();
    while (true) {
      for (int i : todo) {
        if (!seen.contains(i) && Files.isDirectory(dir.resolve("trials").resolve(trials.name(i)))) {
          seen.add(i);
          trials.started(i);
        }
        if (trials.ended(i) && reported.add(i)) {
          if (seen.add(i)) {
            trials.started(i);
          }
          trials.finished(i);
        }
      }
      if (reported.size() == todo.size()) {
        return OK;
      }
      if (!queued(job)) {
        Thread.sleep(1000); // a last status file may land just after its task leaves the queue
        int left = 0;
        for (int i : todo) {
          if (!trials.ended(i)) {
            left++;
          }
        }
        if (left == 0) {
          continue;
        }
        trials
            .out()
            .printf(
                "the Slurm job %s ended with %d trial%s unfinished (cancelled or killed); continue"
                    + " with %s%n",
                job, left, left == 1 ? "" : "s", trials.resumeCommand());
        return INTERRUPTED;
      }
      Thread.sleep(1000);
    }
  }

  /** Whether any task of {@code job} is still pending or running. */
  static boolean queued(String job) throws IOException, InterruptedException {
    Process q =
        new ProcessBuilder("squeue", "-h", "-j", job, "-o", "%i").redirectErrorStream(true).start();
    String text = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    int exit = q.waitFor();
    if (exit != 0) {
      return false; // squeue refuses a job id it no longer knows: it has left the queue
    }
    return !text.isEmpty();
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
