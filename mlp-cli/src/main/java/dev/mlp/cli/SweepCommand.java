package dev.mlp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlp.run.config.ConfigException;
import dev.mlp.run.sweep.Axis;
import dev.mlp.run.sweep.SweepPlan;
import dev.mlp.run.sweep.TrialResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mlp sweep --config FILE --set path=v1,v2 ...}: a grid of trainings, each an ordinary run
 * folder under the sweep's folder, run as processes on this machine; {@code --resume DIR} finishes
 * what an interrupted sweep left; {@code mlp sweep report DIR} tabulates it.
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    subcommands = {SweepCommand.Report.class, SweepCommand.RunTrial.class},
    description = {
      "Train every combination of the values given with --set (a grid), each trial an ordinary"
          + " run folder DIR/trials/NNNN (mlp eval, report, predict, export work on it), in"
          + " parallel processes on this machine, then print the trials sorted by the metric.",
      "Ctrl-C stops the running trials at their last step; mlp sweep --resume DIR finishes the"
          + " sweep to the same numbers. A trial that fails is recorded with its error and the"
          + " others go on."
    })
final class SweepCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "The config every trial starts from.")
  Path config;

  @Option(
      names = "--set",
      paramLabel = "PATH=V1,V2,...",
      description =
          "An axis: a config path and its values, comma-separated (brackets and quotes keep a"
              + " value's own commas). Repeat for more axes; every combination is a trial.")
  List<String> axes = new ArrayList<>();

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "The sweep folder (default: runs/sweep-<config name>-<time>).")
  Path outDir;

  @Option(
      names = "--resume",
      paramLabel = "DIR",
      description = "Finish the unfinished trials of a sweep folder.")
  Path resume;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      description = "Trials at once (default: the cores divided by --threads).")
  Integer parallel;

  @Option(names = "--threads", paramLabel = "T", description = "Threads per trial (default 1).")
  Integer threads;

  @Option(
      names = "--metric",
      paramLabel = "NAME",
      description =
          "What to sort by: an epoch figure such as test_accuracy (the default) or test_loss.")
  String metric;

  @Option(
      names = "--direction",
      paramLabel = "max|min",
      description =
          "Whether larger (max) or smaller is better (default: max for accuracy, else min).")
  String direction;

  @Option(
      names = "--launcher",
      paramLabel = "local|slurm",
      defaultValue = "local",
      description =
          "Where trials run: local (processes of this machine, the default) or slurm (one job"
              + " array through sbatch; the sweep folder must be on a file system the nodes share).")
  String launcher;

  @Option(names = "--slurm-partition", paramLabel = "NAME", description = "sbatch --partition.")
  String partition;

  @Option(
      names = "--slurm-time",
      paramLabel = "TIME",
      description = "sbatch --time per trial, e.g. 1:00:00.")
  String time;

  @Option(
      names = "--slurm-mem",
      paramLabel = "SIZE",
      description = "sbatch --mem per trial, e.g. 4G.")
  String mem;

  @Option(
      names = "--slurm-option",
      paramLabel = "OPTION",
      description = "Any other sbatch option, e.g. --account=ml (repeatable).")
  List<String> slurmOptions = new ArrayList<>();

  @Option(
      names = "--no-wait",
      description =
          "With slurm: return once the job array is submitted (mlp sweep report DIR shows progress).")
  boolean noWait;

  @Mixin PluginOptions plugins;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (!launcher.equals("local") && !launcher.equals("slurm")) {
      throw new ConfigException("--launcher must be local or slurm, got " + launcher);
    }
    int cores = Runtime.getRuntime().availableProcessors();
    int t = threads != null ? threads : 1;
    int p = parallel != null ? parallel : Math.max(1, cores / t);
    if (t < 1 || p < 1) {
      throw new ConfigException("--threads and --parallel must be at least 1");
    }
    if (launcher.equals("local") && (long) t * p > cores) {
      throw new ConfigException(
          "--parallel "
              + p
              + " × --threads "
              + t
              + " = "
              + ((long) t * p)
              + " threads on "
              + cores
              + " cores: they would slow each other down; lower one of them");
    }
    Path dir;
    SweepPlan plan;
    if (resume != null) {
      if (config != null || !axes.isEmpty()) {
        throw new ConfigException(
            "--resume takes the sweep's own config and axes; leave out --config and --set");
      }
      dir = resume;
      plan = readPlan(dir);
    } else {
      if (config == null) {
        throw new ConfigException(
            "mlp sweep needs --config FILE and at least one --set path=v1,v2,...");
      }
      List<Axis> parsed = new ArrayList<>();
      for (String a : axes) {
        try {
          parsed.add(Axis.parse(a));
        } catch (IllegalArgumentException e) {
          throw new ConfigException(e.getMessage());
        }
      }
      Boolean max =
          direction == null
              ? null
              : switch (direction) {
                case "max" -> true;
                case "min" -> false;
                default ->
                    throw new ConfigException("--direction must be max or min, got " + direction);
              };
      plan = SweepPlan.grid(plugins.registry(), config, parsed, metric, max);
      dir = outDir != null ? outDir : defaultDir(plan);
      if (Files.exists(dir)) {
        throw new ConfigException(
            dir + ": already exists; continue a sweep there with --resume " + dir);
      }
      // made whole in a temporary folder and renamed: never a half-made sweep folder
      Path parent = dir.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".");
      try {
        Files.createDirectories(tmp.resolve("trials"));
        plan.write(tmp);
        Files.move(tmp, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } finally {
        if (Files.exists(tmp)) {
          deleteTree(tmp);
        }
      }
    }
    String threadsText = t + " thread" + (t == 1 ? "" : "s");
    out.printf(
        "sweep %s: %d trials of %s (%s), %s; sorted by %s (%s)%n",
        dir,
        plan.trials().size(),
        plan.baseFile(),
        axesText(plan),
        launcher.equals("slurm")
            ? "through Slurm, " + threadsText + " each"
            : p + " at a time × " + threadsText,
        plan.metric(),
        plan.maximize() ? "max" : "min");
    out.flush();
    if (launcher.equals("slurm")) {
      int code = new SlurmLauncher(dir, plan, t, this, out).run();
      if (code == ExitCode.OK && noWait) {
        return code;
      }
      printTable(dir, plan, out);
      return code;
    }
    LocalLauncher launcher = new LocalLauncher(dir, plan, p, t, out);
    try {
      int code = launcher.run();
      printTable(dir, plan, out);
      if (code == ExitCode.INTERRUPTED) {
        out.printf("interrupted: continue with %s sweep --resume %s%n", Main.command(), dir);
      }
      out.flush();
      return code;
    } finally {
      launcher.reported.countDown(); // a stopping JVM waits for this table before it ends
    }
  }

  /**
   * How a trial ended, as both launchers print it: {@code 0003 lr=0.1: done test_accuracy 0.9133}.
   */
  static String ended(SweepPlan plan, TrialResult r) {
    return r.trial().name()
        + " "
        + r.trial().label()
        + ": "
        + r.state()
        + " "
        + (r.state().equals("failed") ? "" : plan.metric() + " " + r.metricText())
        + (r.error() != null ? " (" + r.error() + ")" : "");
  }

  /** A sweep folder's plan; a folder that is not one is a bad input. */
  static SweepPlan readPlan(Path dir) throws ConfigException {
    try {
      return SweepPlan.read(dir);
    } catch (IOException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  /** Deletes a folder the sweep made (a temporary one, a trial's that holds no checkpoint). */
  static void deleteTree(Path dir) throws IOException {
    try (var left = Files.walk(dir)) {
      left.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  private static String axesText(SweepPlan plan) {
    List<String> parts = new ArrayList<>();
    for (Axis a : plan.axes()) {
      parts.add(a.path() + " × " + a.values().size());
    }
    return String.join(", ", parts);
  }

  private static Path defaultDir(SweepPlan plan) {
    String runs = System.getenv().getOrDefault("MLP_RUNS", "runs");
    String name = Path.of(plan.baseFile()).getFileName().toString().replaceAll("\\.ya?ml$", "");
    return Path.of(
        runs,
        "sweep-"
            + name
            + "-"
            + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
  }

  /** The trials, best first by the sweep's metric; failed and unfinished ones last. */
  static List<TrialResult> results(Path dir, SweepPlan plan) {
    List<TrialResult> rs = new ArrayList<>();
    for (SweepPlan.Trial t : plan.trials()) {
      rs.add(TrialResult.read(dir, plan, t));
    }
    Comparator<TrialResult> byMetric =
        Comparator.comparingDouble(r -> plan.maximize() ? -r.metric() : r.metric());
    rs.sort(
        Comparator.comparing((TrialResult r) -> Double.isNaN(r.metric()))
            .thenComparing(byMetric)
            .thenComparingInt(r -> r.trial().index()));
    return rs;
  }

  static void printTable(Path dir, SweepPlan plan, PrintWriter out) {
    List<TrialResult> rs = results(dir, plan);
    StringBuilder head = new StringBuilder(String.format("%-6s", "trial"));
    for (Axis a : plan.axes()) {
      head.append(String.format("  %-" + width(a) + "s", a.path()));
    }
    head.append(
        String.format(
            "  %-10s  %12s  %12s  %6s  %8s", "state", plan.metric(), "best", "epochs", "seconds"));
    out.println(head);
    for (TrialResult r : rs) {
      StringBuilder row = new StringBuilder(String.format("%-6s", r.trial().name()));
      for (Axis a : plan.axes()) {
        row.append(String.format("  %-" + width(a) + "s", r.trial().overrides().get(a.path())));
      }
      row.append(
          String.format(
              Locale.ROOT,
              "  %-10s  %12s  %12s  %6d  %8s",
              r.state(),
              r.metricText(),
              TrialResult.text(r.best()),
              r.epochs(),
              Double.isNaN(r.seconds()) ? "—" : String.format(Locale.ROOT, "%.1f", r.seconds())));
      if (r.error() != null) {
        row.append("  ").append(r.error());
      }
      out.println(row);
    }
    TrialResult best = rs.isEmpty() || Double.isNaN(rs.get(0).metric()) ? null : rs.get(0);
    if (best != null) {
      out.printf(
          "best: trial %s (%s): %s %s%n",
          best.trial().name(), best.trial().label(), plan.metric(), best.metricText());
    }
    out.flush();
  }

  private static int width(Axis a) {
    int w = a.path().length();
    for (String v : a.values()) {
      w = Math.max(w, v.length());
    }
    return w;
  }

  /** The trials of this machine: {@code parallel} processes of {@code mlp sweep run-trial}. */
  static final class LocalLauncher {
    private final Path dir;
    private final SweepPlan plan;
    private final int parallel;
    private final int threads;
    private final PrintWriter out;

    /** Counted down once the table is printed, so a Ctrl-C'd sweep still shows where it stands. */
    final java.util.concurrent.CountDownLatch reported = new java.util.concurrent.CountDownLatch(1);

    LocalLauncher(Path dir, SweepPlan plan, int parallel, int threads, PrintWriter out) {
      this.dir = dir;
      this.plan = plan;
      this.parallel = parallel;
      this.threads = threads;
      this.out = out;
    }

    int run() throws IOException, InterruptedException {
      List<SweepPlan.Trial> todo = new ArrayList<>();
      for (SweepPlan.Trial t : plan.trials()) {
        String state = TrialResult.read(dir, plan, t).state();
        if (state.equals("pending") || state.equals("unfinished")) {
          todo.add(t);
        }
      }
      List<Process> running = new ArrayList<>();
      List<SweepPlan.Trial> runningTrials = new ArrayList<>();
      boolean[] stopping = {false};
      Thread hook =
          new Thread(
              () -> {
                stopping[0] = true;
                synchronized (running) {
                  running.forEach(Process::destroy); // SIGTERM: each saves its last step
                  for (Process p : running) {
                    try {
                      p.waitFor();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }
                }
                try {
                  reported.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "mlp-sweep-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      int next = 0;
      int done = 0;
      int failed = 0;
      try {
        while ((next < todo.size() || !running.isEmpty()) && !stopping[0]) {
          synchronized (running) {
            while (running.size() < parallel && next < todo.size() && !stopping[0]) {
              SweepPlan.Trial t = todo.get(next++);
              running.add(start(t));
              runningTrials.add(t);
            }
          }
          Thread.sleep(100);
          synchronized (running) {
            for (int i = running.size() - 1; i >= 0; i--) {
              if (!running.get(i).isAlive()) {
                SweepPlan.Trial t = runningTrials.get(i);
                running.remove(i);
                runningTrials.remove(i);
                TrialResult r = TrialResult.read(dir, plan, t);
                if (r.state().equals("failed")) {
                  failed++;
                } else {
                  done++;
                }
                out.printf(
                    "[%d/%d done, %d running, %d failed] %s%n",
                    done, todo.size(), running.size(), failed, ended(plan, r));
                out.flush();
              }
            }
          }
        }
      } finally {
        if (!stopping[0]) {
          Runtime.getRuntime().removeShutdownHook(hook);
        }
      }
      return stopping[0] ? ExitCode.INTERRUPTED : ExitCode.OK;
    }

    private Process start(SweepPlan.Trial t) throws IOException {
      List<String> cmd = new ArrayList<>(mlpCommand());
      cmd.addAll(
          List.of(
              "sweep",
              "run-trial",
              dir.toString(),
              String.valueOf(t.index()),
              "--threads",
              String.valueOf(threads)));
      Path log = dir.resolve("trials").resolve(t.name() + ".log");
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      return pb.start();
    }
  }

  /**
   * The trials as one Slurm job array, each task {@code mlp sweep run-trial DIR
   * $SLURM_ARRAY_TASK_ID}.
   */
  static final class SlurmLauncher {
    private final Path dir;
    private final SweepPlan plan;
    private final int threads;
    private final SweepCommand options;
    private final PrintWriter out;

    SlurmLauncher(Path dir, SweepPlan plan, int threads, SweepCommand options, PrintWriter out) {
      this.dir = dir.toAbsolutePath();
      this.plan = plan;
      this.threads = threads;
      this.options = options;
      this.out = out;
    }

    int run() throws Exception {
      List<Integer> todo = new ArrayList<>();
      for (SweepPlan.Trial t : plan.trials()) {
        String state = TrialResult.read(dir, plan, t).state();
        if (state.equals("pending") || state.equals("unfinished")) {
          todo.add(t.index());
        }
      }
      if (todo.isEmpty()) {
        return ExitCode.OK;
      }
      Path slurm = Files.createDirectories(dir.resolve("slurm"));
      StringBuilder array = new StringBuilder();
      for (int i : todo) {
        array.append(array.length() == 0 ? "" : ",").append(i);
      }
      StringBuilder script = new StringBuilder("#!/bin/bash\n");
      script.append("#SBATCH --job-name=mlp-sweep-").append(dir.getFileName()).append('\n');
      script.append("#SBATCH --array=").append(array).append('\n');
      script.append("#SBATCH --cpus-per-task=").append(threads).append('\n');
      script.append("#SBATCH --output=").append(slurm).append("/%A_%a.out\n");
      script.append("#SBATCH --open-mode=append\n");
      script.append("# each task: one trial of the sweep, as mlp sweep's local launcher runs it\n");
      script.append("exec");
      for (String c : mlpCommand()) {
        script.append(' ').append(quote(c));
      }
      script.append(" sweep run-trial ").append(quote(dir.toString()));
      script.append(" \"$SLURM_ARRAY_TASK_ID\" --threads ").append(threads).append('\n');
      Path file = slurm.resolve("array-" + System.currentTimeMillis() + ".sh");
      dev.mlp.run.folder.AtomicFile.write(file, script.toString().getBytes(StandardCharsets.UTF_8));
      List<String> sbatch = new ArrayList<>(List.of("sbatch", "--parsable"));
      if (options.partition != null) {
        sbatch.add("--partition=" + options.partition);
      }
      if (options.time != null) {
        sbatch.add("--time=" + options.time);
      }
      if (options.mem != null) {
        sbatch.add("--mem=" + options.mem);
      }
      sbatch.addAll(options.slurmOptions);
      sbatch.add(file.toString());
      Process p;
      try {
        p = new ProcessBuilder(sbatch).redirectErrorStream(false).start();
      } catch (IOException e) {
        throw new ConfigException(
            "sbatch cannot be run ("
                + e.getMessage()
                + "): the slurm launcher needs Slurm's commands"
                + " on PATH; the sweep folder "
                + dir
                + " stays, continue with --resume "
                + dir);
      }
      String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      int exit = p.waitFor();
      if (exit != 0 || stdout.isEmpty()) {
        String why =
            stderr.isEmpty()
                ? "exit code " + exit
                : stderr.lines().reduce((a, b) -> b).orElse(stderr);
        throw new ConfigException(
            "sbatch refused the job array: "
                + why
                + "; the sweep folder "
                + dir
                + " stays, continue with --resume "
                + dir);
      }
      String job = stdout.split(";")[0].strip();
      Files.writeString(
          slurm.resolve("jobs"),
          job + "\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      out.printf(
          "submitted Slurm job array %s: %d trial%s (%s)%n",
          job, todo.size(), todo.size() == 1 ? "" : "s", file);
      out.flush();
      if (options.noWait) {
        out.printf("mlp sweep report %s shows where it stands%n", dir);
        return ExitCode.OK;
      }
      java.util.Set<String> reported = new java.util.HashSet<>();
      while (true) {
        int ended = 0;
        for (int i : todo) {
          TrialResult r = TrialResult.read(dir, plan, plan.trials().get(i));
          if (r.state().equals("done") || r.state().equals("failed")) {
            ended++;
            if (reported.add(r.trial().name())) {
              out.printf("[%d/%d ended] %s%n", reported.size(), todo.size(), ended(plan, r));
              out.flush();
            }
          }
        }
        if (ended == todo.size()) {
          return ExitCode.OK;
        }
        if (!queued(job)) {
          Thread.sleep(1000); // a last status file may land just after its task leaves the queue
          int left = 0;
          for (int i : todo) {
            String st = TrialResult.read(dir, plan, plan.trials().get(i)).state();
            if (!st.equals("done") && !st.equals("failed")) {
              left++;
            }
          }
          if (left == 0) {
            continue;
          }
          out.printf(
              "the Slurm job %s ended with %d trial%s unfinished (cancelled or killed); continue with"
                  + " %s sweep --resume %s --launcher slurm%n",
              job, left, left == 1 ? "" : "s", Main.command(), dir);
          return ExitCode.INTERRUPTED;
        }
        Thread.sleep(1000);
      }
    }

    /** Whether any task of {@code job} is still pending or running. */
    private static boolean queued(String job) throws IOException, InterruptedException {
      Process q =
          new ProcessBuilder("squeue", "-h", "-j", job, "-o", "%i")
              .redirectErrorStream(true)
              .start();
      String text = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      int exit = q.waitFor();
      if (exit != 0) {
        // squeue refuses a job id it no longer knows: it has left the queue
        return false;
      }
      return !text.isEmpty();
    }

    private static String quote(String s) {
      return "'" + s.replace("'", "'\\''") + "'";
    }
  }

  /** How to start mlp again: the launcher that started this one, else this JVM's jar. */
  static List<String> mlpCommand() {
    String launcher = System.getenv("MLP_LAUNCHER");
    if (launcher != null && Files.isExecutable(Path.of(launcher))) {
      return List.of(launcher);
    }
    String jar;
    try {
      jar =
          Path.of(SweepCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules",
        "jdk.incubator.vector",
        "-XX:+UseParallelGC",
        "-Xss4m",
        "-cp",
        jar,
        Main.class.getName());
  }

  /** {@code mlp sweep report DIR [--json]}. */
  @Command(
      name = "report",
      mixinStandardHelpOptions = true,
      description = "The sweep's trials, best first.")
  static final class Report implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "A sweep folder.")
    Path dir;

    @Option(names = "--json", description = "One JSON object per trial on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      SweepPlan plan = readPlan(dir);
      PrintWriter out = spec.commandLine().getOut();
      if (!json) {
        printTable(dir, plan, out);
        return ExitCode.OK;
      }
      ObjectMapper m = new ObjectMapper();
      for (TrialResult r : results(dir, plan)) {
        ObjectNode o = m.createObjectNode();
        o.put("trial", r.trial().name());
        ObjectNode ov = o.putObject("overrides");
        r.trial().overrides().forEach(ov::put);
        o.put("state", r.state());
        putNumber(o, plan.metric(), r.metric());
        putNumber(o, "best_" + plan.metric(), r.best());
        o.put("epochs", r.epochs());
        putNumber(o, "seconds", r.seconds());
        if (r.error() != null) {
          o.put("error", r.error());
        }
        o.put("run", TrialResult.runDir(dir, r.trial()).toString());
        out.println(m.writeValueAsString(o));
      }
      out.flush();
      return ExitCode.OK;
    }

    private static void putNumber(ObjectNode o, String key, double v) {
      if (Double.isNaN(v)) {
        o.putNull(key);
      } else {
        o.put(key, v);
      }
    }
  }

  /**
   * {@code mlp sweep run-trial DIR INDEX}: trains one trial (resuming its run folder if it has a
   * checkpoint) and records how it ended. What each local process and each Slurm array task runs.
   */
  @Command(name = "run-trial", hidden = true, description = "Train one trial of a sweep folder.")
  static final class RunTrial implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR")
    Path dir;

    @Parameters(index = "1", paramLabel = "INDEX")
    int index;

    @Option(names = "--threads", defaultValue = "1")
    int threads;

    @Override
    public Integer call() throws Exception {
      SweepPlan plan = readPlan(dir);
      if (index < 0 || index >= plan.trials().size()) {
        throw new ConfigException(
            dir + ": no trial " + index + " (it has " + plan.trials().size() + ")");
      }
      SweepPlan.Trial t = plan.trials().get(index);
      Path run = TrialResult.runDir(dir, t);
      TrialResult.forget(dir, t);
      List<String> args = new ArrayList<>();
      if (Files.isRegularFile(run.resolve("checkpoints/last.safetensors"))) {
        args.addAll(List.of("train", "--resume", run.toString()));
      } else {
        if (Files.exists(run)) { // killed before its first checkpoint: nothing in it to keep
          deleteTree(run);
        }
        args.addAll(List.of("train", "--config", dir.resolve("base.yaml").toString()));
        for (var o : t.overrides().entrySet()) {
          args.addAll(List.of("--set", o.getKey() + "=" + o.getValue()));
        }
        args.addAll(List.of("--out", run.toString()));
      }
      args.addAll(
          List.of("--threads", String.valueOf(threads), "--no-progress", "--log-every", "0"));
      // the trial's own error line, as it would print it, is kept in its status
      PrintStream err = System.err;
      LastErrorLine last = new LastErrorLine(err);
      System.setErr(new PrintStream(last, true, StandardCharsets.UTF_8));
      long t0 = System.nanoTime();
      int code;
      try {
        code = Main.run(args.toArray(String[]::new));
      } finally {
        System.err.flush();
        System.setErr(err);
      }
      if (code != ExitCode.INTERRUPTED) { // interrupted: unfinished, for --resume
        TrialResult.record(
            dir, t, code, code == 0 ? null : last.line(), (System.nanoTime() - t0) / 1e9);
      }
      return code;
    }
  }

  /** Passes bytes on and keeps the last line that starts with "mlp: error: ". */
  static final class LastErrorLine extends OutputStream {
    private final OutputStream to;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private String last;

    LastErrorLine(OutputStream to) {
      this.to = to;
    }

    @Override
    public void write(int b) throws IOException {
      to.write(b);
      if (b == '\n') {
        String l = line.toString(StandardCharsets.UTF_8);
        if (l.startsWith("mlp: error: ")) {
          last = l.substring(12);
        }
        line.reset();
      } else if (line.size() < 4096) {
        line.write(b);
      }
    }

    @Override
    public void flush() throws IOException {
      to.flush();
    }

    String line() {
      return last != null ? last : "exited without an error line";
    }
  }
}
