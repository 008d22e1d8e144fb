package dev.runstream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import jakarta.json.Json;
import java.util.concurrent.Executors;

/**
 * The shape of the code, checked: dependencies point into the runs core, never out of it; features
 * do not reach into each other; inside a feature, entities know no control or boundary class, and
 * controls no boundary class; threads come from the container.
 */
@AnalyzeClasses(packages = "dev.runstream", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /**
   * From the bottom: problem+json and reading input are plumbing every layer uses; the runs core
   * uses only them; the features around it (responders, the openai responder, streaming, the store,
   * identity, and the headers of every answer: the page's security headers and CORS) use the core,
   * which knows them only through its own interfaces (identity hands it a {@code
   * runs.entity.Caller}); stats reads the features. Nothing below a layer knows it.
   */
  @ArchTest
  static final ArchRule dependenciesPointIntoTheRunsCore =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Problems")
          .definedBy("dev.runstream.problems..")
          .layer("Input")
          .definedBy("dev.runstream.input..")
          .layer("Runs")
          .definedBy("dev.runstream.runs..")
          .layer("Features")
          .definedBy(
              "dev.runstream.responders..",
              "dev.runstream.openai..",
              "dev.runstream.streaming..",
              "dev.runstream.store..",
              "dev.runstream.identity..",
              "dev.runstream.page..",
              "dev.runstream.cors..")
          .layer("Stats")
          .definedBy("dev.runstream.stats..")
          .whereLayer("Stats")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Features")
          .mayOnlyBeAccessedByLayers("Stats")
          .whereLayer("Runs")
          .mayOnlyBeAccessedByLayers("Features", "Stats")
          .whereLayer("Input")
          .mayOnlyBeAccessedByLayers("Runs", "Features", "Stats")
          .whereLayer("Problems")
          .mayOnlyBeAccessedByLayers("Input", "Runs", "Features", "Stats");

  @ArchTest
  static final ArchRule featuresAreFreeOfCycles =
      slices().matching("dev.runstream.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule respondersKnowNoOtherFeature =
      noClasses()
          .that()
          .resideInAPackage("dev.runstream.responders..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.runstream.openai..", "dev.runstream.streaming..");

  @ArchTest
  static final ArchRule openAiKnowsNoOtherFeature =
      noClasses()
          .that()
          .resideInAPackage("dev.runstream.openai..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.runstream.responders..", "dev.runstream.streaming..");

  @ArchTest
  static final ArchRule streamingKnowsNoOtherFeature =
      noClasses()
          .that()
          .resideInAPackage("dev.runstream.streaming..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.runstream.responders..", "dev.runstream.openai..");

  @ArchTest
  static final ArchRule storeKnowsNoOtherFeature =
      noClasses()
          .that()
          .resideInAPackage("dev.runstream.store..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.runstream.responders..", "dev.runstream.openai..", "dev.runstream.streaming..");

  @ArchTest
  static final ArchRule identityKnowsNoOtherFeature =
      noClasses()
          .that()
          .resideInAPackage("dev.runstream.identity..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.runstream.responders..",
              "dev.runstream.openai..",
              "dev.runstream.streaming..",
              "dev.runstream.store..");

  @ArchTest
  static final ArchRule noOtherFeatureKnowsIdentity =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.runstream.identity..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.runstream.identity..")
          .because("who a caller is reaches the features as a runs.entity.Caller only");

  /**
   * What every answer tells a browser knows nothing of what is answered (it uses the root's
   * plumbing only).
   */
  @ArchTest
  static final ArchRule pageHeadersKnowNoOtherPackage = knowsNoOtherPackage("dev.runstream.page..");

  @ArchTest
  static final ArchRule corsKnowsNoOtherPackage = knowsNoOtherPackage("dev.runstream.cors..");

  private static ArchRule knowsNoOtherPackage(String feature) {
    return noClasses()
        .that()
        .resideInAPackage(feature)
        .should()
        .dependOnClassesThat(
            JavaClass.Predicates.resideInAPackage("dev.runstream..")
                .and(JavaClass.Predicates.resideOutsideOfPackages(feature, "dev.runstream")));
  }

  @ArchTest
  static final ArchRule entitiesKnowNoControlOrBoundary =
      noClasses()
          .that()
          .resideInAPackage("..entity..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("..control..", "..boundary..");

  @ArchTest
  static final ArchRule controlsKnowNoBoundary =
      noClasses()
          .that()
          .resideInAPackage("..control..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("..boundary..");

  @ArchTest
  static final ArchRule jsonComesFromOneProvider =
      noClasses()
          .should()
          .callMethodWhere(
              JavaCall.Predicates.target(
                  HasOwner.Predicates.With.owner(JavaClass.Predicates.equivalentTo(Json.class))))
          .because(
              "jakarta.json.Json looks its provider up on every call (a class-path scan): use"
                  + " Jsons");

  @ArchTest
  static final ArchRule threadsComeFromTheContainer =
      noClasses()
          .should()
          .callConstructor(Thread.class)
          .orShould()
          .callConstructor(Thread.class, Runnable.class)
          .orShould()
          .dependOnClassesThat()
          .belongToAnyOf(Executors.class)
          .because("threads come from the container's managed executors and thread factories");
}
