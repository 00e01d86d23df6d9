package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlp sweep --launcher slurm} on a real Slurm: a single-node cluster of Debian's slurm-wlm
 * started for these tests (tools/slurm-local.sh: munge, slurmctld, slurmd on ports of their own)
 * and stopped after them.
 */
class SlurmSweepIT {
  @TempDir static Path work;
  static Path cluster;
  static Map<String, String> env;

  @BeforeAll
  static void startACluster() throws Exception {
    cluster = work.resolve("cluster");
    Process p =
        new ProcessBuilder(
                MlpProcess.REPO.resolve("tools/slurm-local.sh").toString(),
                "start",
                cluster.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.exitValue()).as(out).isZero();
    env = Map.of("SLURM_CONF", cluster.resolve("slurm.conf").toString());
  }

  @AfterAll
  static void stopIt() throws Exception {
    if (cluster != null) {
      new ProcessBuilder(
              MlpProcess.REPO.resolve("tools/slurm-local.sh").toString(),
              "stop",
              cluster.toString())
          .start()
          .waitFor(60, TimeUnit.SECONDS);
    }
  }

  static MlpProcess.Result sweep(Map<String, String> env, Path out, String... more)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "sweep",
                "--config",
                MlpProcess.SEED_CONFIG,
                "--set",
                "optimizer.lr=0.03,0.1",
                "--set",
                "model.layers[0].units=16,32",
                "--set",
                "training.epochs=1",
                "--out",
                out.toString()));
    args.addAll(List.of(more));
    return MlpProcess.run(env, 900, args.toArray(String[]::new));
  }

  /** The report without what depends on where and when it ran (seconds, run folder). */
  static List<String> table(Path sweep) throws Exception {
    MlpProcess.Result r = MlpProcess.run("sweep", "report", sweep.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    return r.out()
        .lines()
        .map(l -> l.replaceAll(",\"seconds\":[0-9.Ee-]+", "").replaceAll(",\"run\":\"[^\"]*\"", ""))
        .toList();
  }

  @Test
  void aSweepThroughSlurmGivesTheLocalSweepsTableAndCheckpointsToTheByte() throws Exception {
    Path viaSlurm = work.resolve("slurm");
    MlpProcess.Result s = sweep(env, viaSlurm, "--launcher", "slurm");
    assertThat(s.exit()).as(s.err() + s.out()).isZero();
    assertThat(s.out())
        .containsPattern("submitted Slurm job array [0-9]+: 4 trials")
        .contains("[4/4 done, 0 running, 0 failed, best ");
    assertThat(Files.list(viaSlurm.resolve("slurm")).map(f -> f.getFileName().toString()))
        .anyMatch(n -> n.matches("[0-9]+_[0-3]\\.out"));
    Path local = work.resolve("local");
    MlpProcess.Result l = sweep(Map.of(), local);
    assertThat(l.exit()).as(l.err()).isZero();
    assertThat(table(viaSlurm)).hasSize(4).isEqualTo(table(local));
    for (int i = 0; i < 4; i++) {
      String ck = String.format("trials/%04d/checkpoints/last.safetensors", i);
      assertThat(Files.readAllBytes(viaSlurm.resolve(ck)))
          .isEqualTo(Files.readAllBytes(local.resolve(ck)));
    }
  }

  @Test
  void noWaitReturnsAtSubmissionAndStatusFollowsTheJobToItsEnd() throws Exception {
    Path dir = work.resolve("no-wait");
    MlpProcess.Result s = sweep(env, dir, "--launcher", "slurm", "--no-wait");
    assertThat(s.exit()).as(s.err() + s.out()).isZero();
    assertThat(s.out())
        .containsPattern("submitted Slurm job array [0-9]+: 4 trials")
        .contains("sweep status " + dir)
        .doesNotContain("best: trial");
    String job = Files.readString(dir.resolve("slurm/jobs")).strip();
    // --no-wait is this command's choice: a later --resume waits for its trials
    assertThat(keptLauncher(dir)).isEqualTo("{\"type\":\"slurm\"}");
    MlpProcess.Result status = null;
    for (int i = 0; i < 600; i++) {
      status = MlpProcess.run(env, 60, "sweep", "status", dir.toString());
      assertThat(status.exit()).as(status.err()).isZero();
      assertThat(status.out()).startsWith("sweep " + dir + ": 4 trials: ");
      if (status.out().contains("Slurm job " + job + ": no task in the queue")) {
        break;
      }
      assertThat(status.out()).containsPattern("Slurm job " + job + ": .*in the queue");
      Thread.sleep(500);
    }
    assertThat(status.out())
        .contains("4 trials: 4 done, 0 running, 0 failed, 0 pruned, 0 unfinished, 0 pending")
        .contains("best so far: trial ");
  }

  @Test
  void aJobSbatchRefusesIsOneLineAndTheSweepResumesAfterwards() throws Exception {
    Path dir = work.resolve("refused");
    MlpProcess.Result r = sweep(env, dir, "--launcher", "slurm", "--slurm-partition", "nosuch");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0))
        .startsWith("mlp: error: sbatch refused the job array: ")
        .contains("Invalid partition")
        .contains("; the sweep folder " + dir.toAbsolutePath() + " stays, continue with ")
        .endsWith(" sweep --resume " + dir.toAbsolutePath());
    // the sweep kept its launcher as the command line made it: the same refusal on a plain resume
    MlpProcess.Result again = MlpProcess.run(env, 900, "sweep", "--resume", dir.toString());
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.errLines().get(0)).contains("Invalid partition");
    // and a resume can change what was wrong: it goes through Slurm without naming it again
    MlpProcess.Result resumed =
        MlpProcess.run(env, 900, "sweep", "--resume", dir.toString(), "--slurm-partition", "mlp");
    assertThat(resumed.exit()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("launcher slurm").containsPattern("Slurm job array [0-9]+");
    // the partition that worked is the one the folder keeps now
    assertThat(keptLauncher(dir)).isEqualTo("{\"type\":\"slurm\",\"partition\":\"mlp\"}");
    assertThat(table(dir)).hasSize(4).allMatch(l -> l.contains("\"state\":\"done\""));
  }

  @Test
  void aSlurmThatCannotBeReachedIsOneLine() throws Exception {
    Path conf = work.resolve("unreachable.conf");
    Files.writeString(
        conf,
        Files.readString(cluster.resolve("slurm.conf"))
            .replaceAll("SlurmctldPort=[0-9]+", "SlurmctldPort=9"));
    Path dir = work.resolve("unreachable");
    MlpProcess.Result r = sweep(Map.of("SLURM_CONF", conf.toString()), dir, "--launcher", "slurm");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).startsWith("mlp: error: sbatch refused the job array: ");
  }

  /** The launcher spec the sweep folder keeps for --resume, as JSON. */
  private static String keptLauncher(Path dir) throws java.io.IOException {
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(dir.resolve("sweep.json").toFile())
        .get("launcher")
        .toString();
  }
}
