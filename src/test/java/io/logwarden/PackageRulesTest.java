package io.logwarden;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package rules (README, code map): the algorithms (detect, ingest, validate) and the event model are plain
 * Java, free of storage, of the Spring glue and of Camel, so they can be read, tested and reused (the command line
 * runs them without a service). The Spring beans that routes call live in pipeline and source.
 */
@AnalyzeClasses(packages = "io.logwarden", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageRulesTest {

    @ArchTest
    static final ArchRule pureParts = noClasses()
            .that().resideInAnyPackage("io.logwarden.detect..", "io.logwarden.ingest..", "io.logwarden.validate..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.logwarden.store..", "io.logwarden.pipeline..", "io.logwarden.source..", "io.logwarden.web..",
                    "io.logwarden.alert..", "io.logwarden.dashboard..", "io.logwarden.api..", "io.logwarden.config..",
                    "org.apache.camel..", "org.springframework..")
            .because("detect, ingest and validate hold the algorithms; storage, configuration and Camel are joined to"
                    + " them in pipeline");

    @ArchTest
    static final ArchRule eventModel = classes()
            .that().resideInAPackage("io.logwarden.event..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.logwarden.event..", "java..")
            .because("every package shares the event model, so it depends on nothing of the project");
}
