package dev.mlp.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** core ← layers, data ← run ← onnx, serve ← cli: no module reaches sideways or up. */
class ModuleDirectionTest {
  private final JavaClasses all =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.mlp");

  @Test
  void layersKnowOnlyTheCore() {
    noClasses()
        .that()
        .resideInAPackage("dev.mlp.layers..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.mlp.data..", "dev.mlp.run..", "dev.mlp.onnx..", "dev.mlp.serve..", "dev.mlp.cli..")
        .check(all);
  }

  @Test
  void dataKnowsOnlyTheCore() {
    noClasses()
        .that()
        .resideInAPackage("dev.mlp.data..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.mlp.layers..",
            "dev.mlp.run..",
            "dev.mlp.onnx..",
            "dev.mlp.serve..",
            "dev.mlp.cli..")
        .check(all);
  }

  @Test
  void coreKnowsNothingAboveIt() {
    noClasses()
        .that()
        .resideInAPackage("dev.mlp.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.mlp.layers..",
            "dev.mlp.data..",
            "dev.mlp.run..",
            "dev.mlp.onnx..",
            "dev.mlp.cli..")
        .check(all);
  }

  @Test
  void runKnowsNothingOfTheCommandLine() {
    noClasses()
        .that()
        .resideInAPackage("dev.mlp.run..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.mlp.onnx..", "dev.mlp.serve..", "dev.mlp.cli..")
        .check(all);
  }

  @Test
  void onnxKnowsNothingOfTheCommandLine() {
    noClasses()
        .that()
        .resideInAPackage("dev.mlp.onnx..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.mlp.cli..", "picocli..")
        .check(all);
  }

  @Test
  void serveKnowsNothingOfTheCommandLineOrOnnx() {
    noClasses()
        .that()
        .resideInAPackage("dev.mlp.serve..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.mlp.cli..", "dev.mlp.onnx..", "picocli..")
        .check(all);
  }

  /** The HTTP server is mlp-serve's alone: an application of mlp-run does not get Jetty. */
  @Test
  void onlyTheServeModuleUsesJetty() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.mlp.serve..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.eclipse.jetty..")
        .check(all);
  }

  /** The protobuf runtime is mlp-onnx's alone: a Java application of mlp-run does not get it. */
  @Test
  void onlyTheOnnxModuleUsesProtobuf() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.mlp.onnx..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.google.protobuf..")
        .check(all);
  }

  /** A Java application that embeds mlp-run gets no command-line, chart or terminal library. */
  @Test
  void runUsesNoCommandLineChartOrTerminalLibrary() {
    noClasses()
        .that()
        .resideInAPackage("dev.mlp.run..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("picocli..", "org.knowm.xchart..", "me.tongfei.progressbar..")
        .check(all);
  }
}
