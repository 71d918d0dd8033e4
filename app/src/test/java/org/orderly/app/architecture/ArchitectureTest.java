package org.orderly.app.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module boundaries, checked on the compiled classes of every module. */
class ArchitectureTest {

    private static final JavaClasses ORDERLY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.orderly");

    @Test
    void sharedApiIsPlainJavaWithAxonAnnotationsOnly() {
        classes().that().resideInAPackage("org.orderly.api..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "org.orderly.api..", "java..", "org.axonframework.modelling.command..",
                        "org.axonframework.serialization..")
                .check(ORDERLY);
    }

    @Test
    void sharedApiHasNoSpringNoJpaAndNoValidation() {
        noClasses().that().resideInAPackage("org.orderly.api..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.persistence..",
                        "javax.persistence..", "org.hibernate..", "jakarta.validation..")
                .check(ORDERLY);
    }

    @Test
    void commandSideDoesNotDependOnQuerySide() {
        noClasses().that().resideInAPackage("org.orderly.command..")
                .should().dependOnClassesThat().resideInAPackage("org.orderly.query..")
                .check(ORDERLY);
    }

    @Test
    void querySideDoesNotDependOnCommandSide() {
        noClasses().that().resideInAPackage("org.orderly.query..")
                .should().dependOnClassesThat().resideInAPackage("org.orderly.command..")
                .check(ORDERLY);
    }

    @Test
    void commandDomainsMeetOnlyThroughSharedApi() {
        slices().matching("org.orderly.command.(*)..").should().notDependOnEachOther().check(ORDERLY);
    }

    @Test
    void queryDomainsMeetOnlyThroughSharedApi() {
        slices().matching("org.orderly.query.(*)..").should().notDependOnEachOther().check(ORDERLY);
    }

    @Test
    void sharedInfrastructureKnowsNoDomain() {
        noClasses().that().resideInAPackage("org.orderly.config..")
                .should().dependOnClassesThat().resideInAnyPackage("org.orderly.command..", "org.orderly.query..")
                .check(ORDERLY);
    }
}
