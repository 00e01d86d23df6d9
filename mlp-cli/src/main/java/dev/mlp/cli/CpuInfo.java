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
    List<String> jvmLimits,
    int cores,
    String arch,
    String java) {

  /** The vector instruction sets that decide the kernels' width, widest first. */
  private static final List<String> VECTOR_FLAGS = List.of("avx512f", "avx2", "fma", "asimd");

  /** /proc/cpuinfo repeats a block per core; the first block holds what we print. */
  private static final int MAX_BYTES = 1 << 16;

  /** HotSpot options that narrow the vectors the JIT uses. */
  private static final List<String> WIDTH_OPTIONS = List.of("UseAVX", "UseSSE", "MaxVectorSize");

  static CpuInfo ofThisMachine() {
    return parse(
        readBounded(Path.of("/proc/cpuinfo")),
        widthOptionsSet(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.arch", "?"),
        System.getProperty("java.version", "?"));
  }

  /** The {@link #WIDTH_OPTIONS} set on the command line, as "-XX:UseAVX=2". */
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
      String cpuinfo, List<String> jvmLimits, int cores, String arch, String java) {
    String model = null;
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
        flags = Set.of(value.split("\\s+"));
      }
    }
    List<String> vector = new ArrayList<>();
    for (String f : VECTOR_FLAGS) {
      if (flags.contains(f)) {
        vector.add(f);
      }
    }
    return new CpuInfo(
        model == null ? "unknown CPU" : model, vector, List.copyOf(jvmLimits), cores, arch, java);
  }

  private static String readBounded(Path p) {
    try (InputStream in = Files.newInputStream(p)) {
      return new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  String flagsText() {
    String flags = String.join(" ", vectorFlags);
    if (!jvmLimits.isEmpty()) {
      flags += (flags.isEmpty() ? "" : "; ") + "JVM held by " + String.join(" ", jvmLimits);
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
