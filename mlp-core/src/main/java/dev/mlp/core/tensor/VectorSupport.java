package dev.mlp.core.tensor;

/**
 * Whether this JVM has the Vector API ({@code --add-modules jdk.incubator.vector}; the launcher
 * adds it). Kept apart from {@link VectorKernels}, whose static fields load the module's classes:
 * asking must work in a JVM without it, such as an application that embeds mlp.
 */
final class VectorSupport {
  private static final boolean AVAILABLE =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  private VectorSupport() {}

  static boolean available() {
    return AVAILABLE;
  }
}
