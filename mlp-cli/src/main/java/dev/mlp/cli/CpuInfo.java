package dev.mlp.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The CPU a benchmark ran on, in one line ("Intel(R) Xeon(R) Processor (avx512f avx2 fma), 2 cores,
 * amd64, Java 17.0.15"), so a figure copied from {@code mlp bench} carries its machine. Read from
 * {@code /proc/cpuinfo} where there is one; elsewhere the architecture alone.
 */
record CpuInfo(
    String model,
    List<String> vectorFlags,
    List<String> jvmOptions,
    int cores,
    String arch,
    String java) {

  /** The vector instruction sets that decide the kernels' width, widest first. */
  private static final List<String> VECTOR_FLAGS =
      List.of("avx512f", "avx2", "fma", "sve2", "sve", "asimd");

  /**
   * /proc/cpuinfo repeats a block per core; the first block holds the model and the flags (a
   * Raspberry Pi's "Model" line follows all the blocks, well inside this bound on 4 cores).
   */
  private static final int MAX_BYTES = 1 << 16;

  /** HotSpot options that set the width of the vectors the JIT uses. */
  private static final List<String> WIDTH_OPTIONS =
      List.of("UseAVX", "UseSSE", "UseSVE", "MaxVectorSize");

  static CpuInfo ofThisMachine() {
    int cores = Runtime.getRuntime().availableProcessors();
    String arch = System.getProperty("os.arch", "?");
    String java = System.getProperty("java.version", "?");
    // parse takes any text, so an odd file leaves the machine unnamed rather than failing
    return parse(readBounded(Path.of("/proc/cpuinfo")), widthOptionsSet(), cores, arch, java);
  }

  /**
   * The {@link #WIDTH_OPTIONS} given to this JVM (command line, JAVA_TOOL_OPTIONS, a flags file),
   * as "-XX:UseAVX=2".
   */
  private static List<String> widthOptionsSet() {
    List<String> set = new ArrayList<>();
    try {
      HotSpotDiagnosticMXBean vm =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      for (String name : WIDTH_OPTIONS) {
        try {
          VMOption o = vm.getVMOption(name);
          if (o.getOrigin() != VMOption.Origin.DEFAULT
              && o.getOrigin() != VMOption.Origin.ERGONOMIC) {
            set.add("-XX:" + name + "=" + o.getValue());
          }
        } catch (IllegalArgumentException e) {
          // not an option of this JVM (UseAVX exists only on x86)
        }
      }
    } catch (RuntimeException | LinkageError e) {
      // not HotSpot: nothing to name
    }
    return set;
  }

  static CpuInfo parse(
      String cpuinfo, List<String> jvmOptions, int cores, String arch, String java) {
    String model = null;
    String implementer = null;
    String part = null;
    Set<String> flags = Set.of();
    for (String line : cpuinfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (model == null
          && (key.equals("model name") || key.equals("model"))
          && !value.isEmpty()
          && !value.chars().allMatch(Character::isDigit)) {
        model = value;
      } else if (flags.isEmpty() && (key.equals("flags") || key.equals("features"))) {
        flags = Set.copyOf(Arrays.asList(value.split("\\s+"))); // a flag twice is no error
      } else if (implementer == null && key.equals("cpu implementer")) {
        implementer = value;
      } else if (part == null && key.equals("cpu part")) {
        part = value;
      }
    }
    List<String> vector = new ArrayList<>();
    for (String f : VECTOR_FLAGS) {
      if (flags.contains(f)) {
        vector.add(f);
      }
    }
    if (model == null && implementer != null && part != null) {
      // an ARM server's kernel names no model, only these (0x41 0xd0c: Arm's Neoverse N1)
      model = "CPU implementer " + implementer + " part " + part;
    }
    return new CpuInfo(
        model == null ? "unknown CPU" : model,
        List.copyOf(vector),
        List.copyOf(jvmOptions),
        cores,
        arch,
        java);
  }

  private static String readBounded(Path p) {
    try (InputStream in = Files.newInputStream(p)) {
      return new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private String flagsText() {
    String flags = String.join(" ", vectorFlags);
    if (!jvmOptions.isEmpty()) {
      flags += (flags.isEmpty() ? "" : "; ") + "JVM options " + String.join(" ", jvmOptions);
    }
    return flags.isEmpty() ? "" : " (" + flags + ")";
  }

  @Override
  public String toString() {
    return String.format(
        "%s%s, %d %s, %s, Java %s",
        model, flagsText(), cores, cores == 1 ? "core" : "cores", arch, java);
  }
}
