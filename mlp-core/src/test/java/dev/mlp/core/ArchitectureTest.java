package dev.mlp.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The core knows nothing about files, YAML, terminals, or the modules built on it. */
class ArchitectureTest {
  private final JavaClasses core =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.mlp.core");

  @Test
  void coreDoesNotDependOnTheModulesAboveIt() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.mlp.layers..", "dev.mlp.data..", "dev.mlp.cli..")
        .check(core);
  }

  @Test
  void coreDoesNotTouchFilesYamlOrTerminals() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.nio.file..", "com.fasterxml..", "picocli..", "org.yaml..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.io.File")
        .orShould()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .check(core);
  }
}
