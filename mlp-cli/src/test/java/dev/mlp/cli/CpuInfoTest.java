package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CpuInfoTest {
  @Test
  void anX86MachineNamesItsModelAndTheVectorSetsTheKernelsCanUse() {
    String cpuinfo =
        "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 1\n"
            + "model name\t: AMD EPYC 7B13\nflags\t\t: fpu sse2 avx fma avx2 bmi2\n\n"
            + "processor\t: 1\nmodel name\t: AMD EPYC 7B13\nflags\t\t: fpu avx512f\n";
    CpuInfo cpu = CpuInfo.parse(cpuinfo, List.of(), 2, "amd64", "17.0.15");
    assertThat(cpu.model()).isEqualTo("AMD EPYC 7B13");
    // the first block's flags: an AVX2 machine, whatever a later block says
    assertThat(cpu.vectorFlags()).containsExactly("avx2", "fma");
    assertThat(cpu).hasToString("AMD EPYC 7B13 (avx2 fma), 2 cores, amd64, Java 17.0.15");
  }

  @Test
  void anArmBoardNamesItsModelAndNeon() {
    String cpuinfo =
        "processor\t: 0\nBogoMIPS\t: 108.00\nFeatures\t: fp asimd evtstrm crc32\n"
            + "CPU part\t: 0xd0b\n\nModel\t\t: Raspberry Pi 5 Model B Rev 1.0\n";
    CpuInfo cpu = CpuInfo.parse(cpuinfo, List.of(), 4, "aarch64", "17.0.15");
    assertThat(cpu)
        .hasToString("Raspberry Pi 5 Model B Rev 1.0 (asimd), 4 cores, aarch64, Java 17.0.15");
  }

  @Test
  void aJvmHeldToNarrowerVectorsSaysSo() {
    // an AVX-512 machine emulating an AVX2 one: the figures are AVX2's, and the line must say it
    String cpuinfo = "model name\t: Intel(R) Xeon(R) Processor\nflags\t\t: avx2 fma avx512f\n";
    assertThat(CpuInfo.parse(cpuinfo, List.of("-XX:UseAVX=2"), 2, "amd64", "17.0.15"))
        .hasToString(
            "Intel(R) Xeon(R) Processor (avx512f avx2 fma; JVM options -XX:UseAVX=2), 2 cores,"
                + " amd64, Java 17.0.15");
  }

  @Test
  void anArmServerWithoutAModelLineIsNamedByItsImplementerAndPart() {
    String cpuinfo =
        "processor\t: 0\nBogoMIPS\t: 243.75\nFeatures\t: fp asimd sve sve2 crc32\n"
            + "CPU implementer\t: 0x41\nCPU architecture: 8\nCPU part\t: 0xd4f\n";
    assertThat(CpuInfo.parse(cpuinfo, List.of("-XX:UseSVE=0"), 4, "aarch64", "17.0.15"))
        .hasToString(
            "CPU implementer 0x41 part 0xd4f (sve2 sve asimd; JVM options -XX:UseSVE=0), 4 cores,"
                + " aarch64, Java 17.0.15");
  }

  @Test
  void windowsLineEndsANumericModelAndAFlagTwiceAreRead() {
    // x86's "model" line is a number (the model name comes on its own line); a flag listed twice
    // once made Set.of throw, and mlp bench end with an internal error
    String cpuinfo = "model\t\t: 167\r\nmodel name\t: Some CPU\r\nflags\t\t: avx2 fma avx2\r\n";
    assertThat(CpuInfo.parse(cpuinfo, List.of(), 2, "amd64", "17"))
        .hasToString("Some CPU (avx2 fma), 2 cores, amd64, Java 17");
  }

  @Test
  void withoutCpuinfoTheArchitectureStillSaysWhatRan() {
    assertThat(CpuInfo.parse("", List.of(), 1, "aarch64", "21"))
        .hasToString("unknown CPU, 1 core, aarch64, Java 21");
  }
}
