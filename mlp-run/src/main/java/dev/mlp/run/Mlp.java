package dev.mlp.run;

/** The entry point of mlp as a Java library. */
public final class Mlp {
  private Mlp() {}

  /** The version of mlp, from the jar's manifest; "development" when run from classes. */
  public static String version() {
    String v = Mlp.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }
}
