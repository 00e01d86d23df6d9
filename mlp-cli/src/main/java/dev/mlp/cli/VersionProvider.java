package dev.mlp.cli;

import picocli.CommandLine.IVersionProvider;

/** The version written into the jar's manifest by the build. */
final class VersionProvider implements IVersionProvider {
  static String version() {
    return dev.mlp.run.Mlp.version();
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "mlp " + version(),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
    };
  }
}
