package dev.mlp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlp.cli.report.SweepCharts;
import dev.mlp.core.config.LauncherSpec;
import dev.mlp.core.config.SpecException;
import dev.mlp.data.files.InputFiles;
import dev.mlp.run.config.ConfigException;
import dev.mlp.run.sweep.Axis;
import dev.mlp.run.sweep.LocalLauncher;
import dev.mlp.run.sweep.Pruner;
import dev.mlp.run.sweep.SweepFile;
import dev.mlp.run.sweep.SweepLauncher;
import dev.mlp.run.sweep.SweepPlan;
import dev.mlp.run.sweep.SweepTrials;
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
 * {@code mlp sweep --config FILE --set path=v1,v2 ...} or {@code mlp sweep --file SWEEP.yaml}: a
 * grid or random search of trainings, each an ordinary run folder under the sweep's folder, run by
 * a launcher (processes of this machine, a Slurm job array, or a plugin's); {@code --resume DIR}
 * finishes what an interrupted sweep left; {@code mlp sweep report DIR} tabulates and plots it and
 * {@code mlp sweep status DIR} says where it stands.
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    subcommands = {
      SweepCommand.Report.class,
      SweepCommand.Status.class,
      SweepCommand.RunTrial.class
    },
    description = {
      "Train every combination of the values given with --set (a grid), or the trials a sweep"
          + " file describes (--file: a grid, or a random search with a budget), each trial an"
          + " ordinary run folder DIR/trials/NNNN (mlp eval, report, predict, export work on it),"
          + " then print the trials sorted by the metric and write DIR/report/index.html.",
      "Ctrl-C stops the running trials at their last step; mlp sweep --resume DIR finishes the"
          + " sweep to the same numbers. A trial that fails is recorded with its error and the"
          + " others go on."
    })
final class SweepCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--file",
      paramLabel = "SWEEP.yaml",
      description =
          "A sweep file: config, axes (lists, ranges, choice, uniform, log_uniform, int_uniform),"
              + " search (grid or random), budget, metric, direction, threads, launcher, pruner.")
  Path file;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "The config every trial starts from (without --file).")
  Path config;

  @Option(
      names = "--set",
      paramLabel = "PATH=V1,V2,...",
      description =
          "An axis: a config path and its values, comma-separated (brackets and quotes keep a"
              + " value's own commas). Repeat for more axes; every combination is a trial. With"
              + " --file, more grid axes.")
  List<String> axes = new ArrayList<>();

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "The sweep folder (default: runs/sweep-<name>-<time>).")
  Path outDir;

  @Option(
      names = "--resume",
      paramLabel = "DIR",
      description = "Finish the unfinished trials of a sweep folder.")
  Path resume;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      description = "local: trials at once (default: the cores divided by --threads).")
  Integer parallel;

  @Option(
      names = "--threads",
      paramLabel = "T",
      description = "Threads per trial (default: the sweep file's, else 1).")
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
      paramLabel = "TYPE",
      description =
          "Where trials run: local (processes of this machine, the default), slurm (one job"
              + " array through sbatch; the sweep folder must be on a file system the nodes share),"
              + " or a launcher a plugin registers (mlp layers lists them).")
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
          "With slurm: return once the job array is submitted (mlp sweep status DIR shows"
              + " progress).")
  boolean noWait;

  @Mixin PluginOptions plugins;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path dir;
    SweepPlan plan;
    if (resume != null) {
      if (config != null || file != null || !axes.isEmpty()) {
        throw new ConfigException(
            "--resume takes the sweep's own config and axes; leave out --file, --config and --set");
      }
      dir = resume;
      plan = readPlan(dir);
    } else {
      plan = newPlan();
      dir = outDir != null ? outDir : defaultDir(plan);
    }
    int t =
        threads != null
            ? threads
            : plan.settings().threads() != null ? plan.settings().threads() : 1;
    if (t < 1) {
      throw new ConfigException("--threads must be at least 1, got " + t);
    }
    ObjectNode launcherNode = launcherNode(plan);
    String type = launcherNode.path("type").asText();
    SweepLauncher chosen = launcher(launcherNode);
    int cores = Runtime.getRuntime().availableProcessors();
    String how;
    if (chosen instanceof LocalLauncher local) {
      int p;
      try {
        p = local.parallel(t, cores);
      } catch (SpecException e) {
        throw new ConfigException(
            e.getMessage().replace("parallel ", "--parallel ").replace("× threads", "× --threads"));
      }
      how = p + " at a time × " + t + " thread" + (t == 1 ? "" : "s");
    } else {
      how = "launcher " + type + ", " + t + " thread" + (t == 1 ? "" : "s") + " each";
    }
    // the launcher and threads as this command made them, kept in the folder so that a plain
    // --resume DIR goes on the same way (the same Slurm partition, say), and so that the hint it
    // prints is right; options given with --resume replace the kept ones from then on
    SweepPlan kept = keep(plan, launcherNode, type, t);
    if (resume == null) {
      create(dir, kept);
    } else if (!kept.settings().equals(plan.settings())) {
      try {
        kept.write(dir);
      } catch (IOException e) {
        throw new ConfigException(dir + ": cannot keep this sweep's launcher options: " + e);
      }
    }
    plan = kept;
    out.printf(
        "sweep %s: %d trials of %s (%s%s), %s; sorted by %s (%s)%s%n",
        dir,
        plan.trials().size(),
        plan.baseFile(),
        plan.settings().search().equals("random") ? "random search: " : "",
        axesText(plan),
        how,
        plan.metric(),
        plan.maximize() ? "max" : "min",
        plan.settings().pruner() == null ? "" : "; pruner " + plan.settings().pruner().type());
    out.flush();
    Trials trials = new Trials(dir.toAbsolutePath(), plan, t, out);
    Thread waitForTable = trials.holdShutdownForTable();
    try {
      int code = chosen.launch(trials);
      boolean submitOnly = noWait || launcherNode.path("no_wait").asBoolean(false);
      if (code == SweepLauncher.OK && submitOnly && !(chosen instanceof LocalLauncher)) {
        out.printf("%s sweep status %s shows where it stands%n", Main.command(), dir);
        return ExitCode.OK;
      }
      printTable(dir, plan, out);
      writeReport(dir, plan, out);
      if (code == SweepLauncher.INTERRUPTED) {
        out.printf("interrupted: continue with %s%n", trials.resumeCommand());
      }
      out.flush();
      return code == SweepLauncher.OK ? ExitCode.OK : ExitCode.INTERRUPTED;
    } finally {
      trials.reported.countDown(); // a stopping JVM waits for this table before it ends
      try {
        Runtime.getRuntime().removeShutdownHook(waitForTable);
      } catch (IllegalStateException stopping) {
        // the JVM is already stopping: the hook has seen the table
      }
    }
  }

  /** The plan of --file or of --config and --set, checked through and through. */
  private SweepPlan newPlan() throws IOException, ConfigException {
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
    if (file != null) {
      if (config != null) {
        throw new ConfigException(
            "--file names its own config; leave out --config (or set config: in " + file + ")");
      }
      SweepPlan p = SweepFile.read(plugins.registry(), file, parsed);
      if (metric == null && max == null) {
        return p;
      }
      String m = metric != null ? metric : p.metric();
      boolean mx = max != null ? max : metric != null ? defaultMax(m) : p.maximize();
      return new SweepPlan(p.baseYaml(), p.baseFile(), p.axes(), p.trials(), m, mx, p.settings());
    }
    if (config == null) {
      throw new ConfigException(
          "mlp sweep needs --file SWEEP.yaml, or --config FILE and at least one --set"
              + " path=v1,v2,...");
    }
    return SweepPlan.grid(plugins.registry(), config, parsed, metric, max);
  }

  private static boolean defaultMax(String metric) {
    return metric.endsWith("accuracy") || metric.equals("test_r2");
  }

  /** Makes the sweep folder whole in a temporary folder and renames it: never a half-made one. */
  private static void create(Path dir, SweepPlan plan) throws IOException, ConfigException {
    if (Files.exists(dir)) {
      throw new ConfigException(
          dir + ": already exists; continue a sweep there with --resume " + dir);
    }
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

  /**
   * {@code plan} with the launcher and threads this command runs with, as the sweep folder keeps
   * them. Not kept: {@code --parallel} and {@code --no-wait}, which belong to one machine or one
   * command, and the threads of a local sweep, which change only its speed (and might not fit the
   * next machine's cores).
   */
  private static SweepPlan keep(SweepPlan plan, ObjectNode launcherNode, String type, int threads) {
    ObjectNode node = launcherNode.deepCopy();
    node.remove("parallel");
    node.remove("no_wait");
    SweepPlan.Settings st = plan.settings();
    Integer keptThreads = type.equals("local") ? st.threads() : Integer.valueOf(threads);
    return plan.withSettings(
        new SweepPlan.Settings(
            st.search(), st.seed(), keptThreads, node, st.pruner(), st.distributions()));
  }

  /**
   * The launcher's spec: the sweep's own (its file's {@code launcher:}), else {@code local}, with
   * the command line's choices on top.
   */
  private ObjectNode launcherNode(SweepPlan plan) throws ConfigException {
    ObjectMapper m = new ObjectMapper();
    JsonNode saved = plan.settings().launcher();
    ObjectNode node =
        saved != null && saved.isObject()
            ? ((ObjectNode) saved).deepCopy()
            : m.createObjectNode().put("type", "local");
    if (launcher != null && !launcher.equals(node.path("type").asText())) {
      node = m.createObjectNode().put("type", launcher);
    }
    String type = node.path("type").asText();
    if (parallel != null) {
      need(type, "local", "--parallel");
      node.put("parallel", parallel);
    }
    if (partition != null) {
      need(type, "slurm", "--slurm-partition");
      node.put("partition", partition);
    }
    if (time != null) {
      need(type, "slurm", "--slurm-time");
      node.put("time", time);
    }
    if (mem != null) {
      need(type, "slurm", "--slurm-mem");
      node.put("mem", mem);
    }
    if (!slurmOptions.isEmpty()) {
      need(type, "slurm", "--slurm-option");
      var a = node.putArray("options");
      slurmOptions.forEach(a::add);
    }
    if (noWait) {
      need(type, "slurm", "--no-wait");
      node.put("no_wait", true);
    }
    return node;
  }

  private static void need(String type, String wanted, String option) throws ConfigException {
    if (!type.equals(wanted)) {
      throw new ConfigException(option + " is for the " + wanted + " launcher, not " + type);
    }
  }

  private SweepLauncher launcher(ObjectNode node) throws ConfigException, IOException {
    var registry = plugins.registry();
    LauncherSpec s =
        new dev.mlp.run.config.ConfigLoader(registry)
            .readSpec(node, LauncherSpec.class, "launcher");
    try {
      return dev.mlp.run.sweep.LauncherModule.create(registry, s);
    } catch (IllegalArgumentException | SpecException e) {
      throw new ConfigException("launcher: " + e.getMessage());
    }
  }

  /** What a launcher is given: the sweep's unfinished trials, and the live table it feeds. */
  static final class Trials implements SweepTrials {
    private final Path dir;
    private final SweepPlan plan;
    private final int threads;
    private final PrintWriter out;
    private final List<Integer> pending = new ArrayList<>();
    private final java.util.Set<Integer> running = new java.util.HashSet<>();
    private int done;
    private int failed;
    private int pruned;
    private TrialResult best;

    /** Counted down once the table is printed, so a Ctrl-C'd sweep still shows where it stands. */
    final java.util.concurrent.CountDownLatch reported = new java.util.concurrent.CountDownLatch(1);

    Trials(Path dir, SweepPlan plan, int threads, PrintWriter out) {
      this.dir = dir;
      this.plan = plan;
      this.threads = threads;
      this.out = out;
      for (SweepPlan.Trial t : plan.trials()) {
        TrialResult r = TrialResult.read(dir, plan, t);
        if (r.state().equals("pending") || r.state().equals("unfinished")) {
          pending.add(t.index());
        } else {
          better(r);
        }
      }
    }

    /** A shutdown hook that waits (30 s at most) for the table of a stopped sweep. */
    Thread holdShutdownForTable() {
      Thread hook =
          new Thread(
              () -> {
                try {
                  reported.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "mlp-sweep-table");
      Runtime.getRuntime().addShutdownHook(hook);
      return hook;
    }

    private void better(TrialResult r) {
      if (!r.state().equals("done") || Double.isNaN(r.metric())) {
        return;
      }
      if (best == null
          || (plan.maximize() ? r.metric() > best.metric() : r.metric() < best.metric())) {
        best = r;
      }
    }

    @Override
    public Path dir() {
      return dir;
    }

    @Override
    public List<Integer> pending() {
      return List.copyOf(pending);
    }

    @Override
    public int threads() {
      return threads;
    }

    @Override
    public List<String> command(String index) {
      List<String> cmd = new ArrayList<>(mlpCommand());
      cmd.addAll(
          List.of(
              "sweep", "run-trial", "--threads", String.valueOf(threads), dir.toString(), index));
      return cmd;
    }

    @Override
    public String name(int index) {
      return plan.trials().get(index).name();
    }

    @Override
    public Path log(int index) {
      return dir.resolve("trials").resolve(name(index) + ".log");
    }

    @Override
    public boolean ended(int index) {
      return TrialResult.ended(TrialResult.read(dir, plan, plan.trials().get(index)).state());
    }

    @Override
    public synchronized void started(int index) {
      running.add(index);
    }

    @Override
    public synchronized void finished(int index) {
      running.remove(index);
      TrialResult r = TrialResult.read(dir, plan, plan.trials().get(index));
      switch (r.state()) {
        case "failed" -> failed++;
        case "pruned" -> pruned++;
        case "done" -> done++;
        default -> {
          // unfinished: stopped, for --resume
        }
      }
      better(r);
      out.printf(
          "[%d/%d done, %d running, %d failed%s%s] %s%n",
          done,
          pending.size(),
          running.size(),
          failed,
          plan.settings().pruner() == null ? "" : ", " + pruned + " pruned",
          best == null ? "" : ", best " + best.metricText() + " (" + best.trial().name() + ")",
          SweepCommand.ended(plan, r));
      out.flush();
    }

    @Override
    public PrintWriter out() {
      return out;
    }

    @Override
    public String resumeCommand() {
      // the folder keeps the launcher this sweep runs with: no need to name it again
      return Main.command() + " sweep --resume " + dir;
    }
  }

  /**
   * How a trial ended, as the live table prints it: {@code 0003 lr=0.1: done test_accuracy 0.9133}.
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
      String d = plan.settings().distributions().get(a.path());
      parts.add(a.path() + (d != null ? " ~ " + d : " × " + a.values().size()));
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

  /** The trials, best first by the sweep's metric: done, then pruned, then the rest. */
  static List<TrialResult> results(Path dir, SweepPlan plan) {
    List<TrialResult> rs = new ArrayList<>();
    for (SweepPlan.Trial t : plan.trials()) {
      rs.add(TrialResult.read(dir, plan, t));
    }
    Comparator<TrialResult> byMetric =
        Comparator.comparingDouble(r -> plan.maximize() ? -r.metric() : r.metric());
    rs.sort(
        Comparator.comparingInt(
                (TrialResult r) ->
                    r.state().equals("done") ? 0 : r.state().equals("pruned") ? 1 : 2)
            .thenComparing((TrialResult r) -> Double.isNaN(r.metric()))
            .thenComparing(byMetric)
            .thenComparingInt(r -> r.trial().index()));
    return rs;
  }

  /**
   * Writes DIR/report (the table as a page, the metric against each axis, the best curves). At the
   * end of a sweep a report that cannot be written is a notice, as at the end of a training (the
   * trials are whole, and {@code mlp sweep report} makes it again).
   */
  static void writeReport(Path dir, SweepPlan plan, PrintWriter out) {
    try {
      reportPage(dir, plan, out);
    } catch (IOException | RuntimeException e) {
      out.printf(
          "report: not written (%s); try again with: %s sweep report %s%n",
          e.getMessage(), Main.command(), dir);
    }
    out.flush();
  }

  /** Writes DIR/report and prints where its page is; fails if it cannot be written. */
  static void reportPage(Path dir, SweepPlan plan, PrintWriter out) throws IOException {
    List<Path> files;
    try {
      files = SweepCharts.write(dir, plan, results(dir, plan));
    } catch (IOException e) {
      throw new IOException(
          dir.resolve("report") + ": the report cannot be written: " + InputFiles.reason(e), e);
    }
    files.stream()
        .filter(f -> f.getFileName().toString().equals("index.html"))
        .findFirst()
        .ifPresent(page -> out.printf("report: %s%n", page));
    out.flush();
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
    TrialResult best =
        rs.isEmpty() || !rs.get(0).state().equals("done") || Double.isNaN(rs.get(0).metric())
            ? null
            : rs.get(0);
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
      description =
          "The sweep's trials, best first, and DIR/report/index.html: the table, the metric against"
              + " each axis, the best trials' curves.")
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
        reportPage(dir, plan, out); // the report is what was asked for: not written is an error
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
   * {@code mlp sweep status DIR}: how many trials are done, running, failed, pruned and pending,
   * the best so far, what each running trial is at, and the Slurm jobs still in the queue.
   */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "Where a sweep stands: trials done, running, failed, pruned and pending, the best so"
              + " far, each running trial's epoch, and its Slurm jobs still queued.")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "A sweep folder.")
    Path dir;

    @Override
    public Integer call() throws Exception {
      SweepPlan plan = readPlan(dir);
      PrintWriter out = spec.commandLine().getOut();
      java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
      for (String s : List.of("done", "running", "failed", "pruned", "unfinished", "pending")) {
        counts.put(s, 0);
      }
      List<String> runningLines = new ArrayList<>();
      for (TrialResult r : results(dir, plan)) {
        String state = r.state();
        if (state.equals("unfinished")) {
          String where = TrialMarker.runningWhere(dir, r.trial());
          if (where != null) {
            state = "running";
            runningLines.add(
                String.format(
                    "  %s %s: epoch %d of %d%s, %s %s",
                    r.trial().name(),
                    r.trial().label(),
                    r.epochs(),
                    epochsOf(dir, r.trial()),
                    where,
                    plan.metric(),
                    r.metricText()));
          }
        }
        counts.merge(state, 1, Integer::sum);
      }
      List<String> parts = new ArrayList<>();
      counts.forEach((k, v) -> parts.add(v + " " + k));
      out.printf("sweep %s: %d trials: %s%n", dir, plan.trials().size(), String.join(", ", parts));
      TrialResult best = results(dir, plan).get(0);
      if (best.state().equals("done") && !Double.isNaN(best.metric())) {
        out.printf(
            "best so far: trial %s (%s): %s %s%n",
            best.trial().name(), best.trial().label(), plan.metric(), best.metricText());
      }
      if (!runningLines.isEmpty()) {
        out.println("running:");
        runningLines.forEach(out::println);
      }
      Path jobs = dir.resolve("slurm").resolve("jobs");
      if (Files.isRegularFile(jobs)) {
        for (String job : Files.readAllLines(jobs)) {
          if (!job.isBlank()) {
            out.printf("Slurm job %s: %s%n", job.strip(), slurmState(job.strip()));
          }
        }
      }
      out.flush();
      return ExitCode.OK;
    }

    /** The epochs a trial trains, from its run folder's config; 0 if unknown yet. */
    private static int epochsOf(Path dir, SweepPlan.Trial t) {
      try {
        JsonNode c =
            new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
                .readTree(TrialResult.runDir(dir, t).resolve("config.yaml").toFile());
        return c.path("training").path("epochs").asInt(0);
      } catch (IOException | RuntimeException e) {
        return 0;
      }
    }

    /** The queue's word on a job's tasks: {@code 2 running, 4 pending}, or that it has left it. */
    private static String slurmState(String job) {
      try {
        Process q =
            new ProcessBuilder("squeue", "-h", "-j", job, "-o", "%T")
                .redirectErrorStream(true)
                .start();
        String text = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (q.waitFor() != 0 || text.isEmpty()) {
          return "no task in the queue";
        }
        java.util.Map<String, Integer> n = new java.util.TreeMap<>();
        text.lines().forEach(l -> n.merge(l.strip().toLowerCase(Locale.ROOT), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        n.forEach((k, v) -> parts.add(v + " " + k));
        return String.join(", ", parts) + " in the queue";
      } catch (IOException e) {
        return "squeue cannot be run here (" + e.getMessage() + ")";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "unknown";
      }
    }
  }

  /**
   * {@code trials/NNNN.running}: the host and process of a trial being trained, so {@code status}
   * tells a running trial from one a killed sweep left unfinished.
   */
  static final class TrialMarker {
    static Path file(Path dir, SweepPlan.Trial t) {
      return dir.resolve("trials").resolve(t.name() + ".running");
    }

    static void write(Path dir, SweepPlan.Trial t) throws IOException {
      dev.mlp.run.folder.AtomicFile.write(
          file(dir, t),
          (host() + " " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static void remove(Path dir, SweepPlan.Trial t) {
      try {
        Files.deleteIfExists(file(dir, t));
      } catch (IOException e) {
        // status then asks whether its process is alive
      }
    }

    /**
     * " (process 123)" or " (on host n2, process 123)" while the trial's process runs; null when no
     * process of this host holds it (a marker of another host is believed).
     */
    static String runningWhere(Path dir, SweepPlan.Trial t) {
      try {
        String[] f = Files.readString(file(dir, t), StandardCharsets.UTF_8).strip().split(" ");
        long pid = Long.parseLong(f[1]);
        if (f[0].equals(host())) {
          return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
              ? " (process " + pid + ")"
              : null;
        }
        return " (on host " + f[0] + ", process " + pid + ")";
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }

    private static String host() {
      try {
        return java.net.InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        return "localhost";
      }
    }
  }

  /**
   * {@code mlp sweep run-trial DIR INDEX}: trains one trial (resuming its run folder if it has a
   * checkpoint) and records how it ended; with the sweep's pruner, it asks after each epoch whether
   * to stop. What each local process and each Slurm array task runs.
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
      String[] pruned = {null};
      Pruner pruner = plan.settings().pruner();
      if (pruner != null) {
        TrainCommand.trialListener =
            session ->
                new dev.mlp.core.train.TrainingListener() {
                  @Override
                  public void onEpoch(dev.mlp.core.train.EpochMetrics m, boolean improved) {
                    Pruner.Decision d = decide(plan, t, pruner, m);
                    if (d.prune()) {
                      pruned[0] = d.reason();
                      session.requestStop();
                    }
                  }
                };
      }
      // the trial's own error line, as it would print it, is kept in its status
      PrintStream err = System.err;
      LastErrorLine last = new LastErrorLine(err);
      System.setErr(new PrintStream(last, true, StandardCharsets.UTF_8));
      long t0 = System.nanoTime();
      int code;
      TrialMarker.write(dir, t);
      try {
        code = Main.run(args.toArray(String[]::new));
      } finally {
        System.err.flush();
        System.setErr(err);
        TrainCommand.trialListener = null;
        TrialMarker.remove(dir, t);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (pruned[0] != null && code == ExitCode.INTERRUPTED) {
        System.out.println("pruned: " + pruned[0]);
        TrialResult.record(dir, t, "pruned", 0, pruned[0], seconds);
        return ExitCode.OK;
      }
      if (code != ExitCode.INTERRUPTED) { // interrupted: unfinished, for --resume
        TrialResult.record(dir, t, code, code == 0 ? null : last.line(), seconds);
      }
      return code;
    }

    /** The pruner's decision after epoch {@code m}, whose line is not in the folder yet. */
    private Pruner.Decision decide(
        SweepPlan plan, SweepPlan.Trial self, Pruner pruner, dev.mlp.core.train.EpochMetrics m) {
      double[] before = TrialResult.curve(dir, self, plan.metric());
      double[] own = java.util.Arrays.copyOf(before, m.epoch());
      for (int i = before.length; i < own.length; i++) {
        own[i] = Double.NaN;
      }
      try {
        JsonNode line = new ObjectMapper().readTree(dev.mlp.run.folder.RunFolder.epochJson(m));
        JsonNode v = line.get(plan.metric());
        own[m.epoch() - 1] = v != null && v.isNumber() ? v.asDouble() : Double.NaN;
      } catch (IOException e) {
        own[m.epoch() - 1] = Double.NaN;
      }
      List<double[]> others = new ArrayList<>();
      for (SweepPlan.Trial o : plan.trials()) {
        if (o.index() != self.index()) {
          double[] c = TrialResult.curve(dir, o, plan.metric());
          if (c.length > 0) {
            others.add(c);
          }
        }
      }
      return pruner.decide(own, others, plan.maximize(), plan.metric());
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
