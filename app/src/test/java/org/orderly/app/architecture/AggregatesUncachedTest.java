package org.orderly.app.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.axonframework.spring.stereotype.Aggregate;
import org.junit.jupiter.api.Test;

/**
 * Several nodes handle commands for the same aggregates, each appending to the one event store (ADR 0012), so every
 * command loads its aggregate from the event store: an aggregate cached by one node would go stale the moment another
 * node appends, and the node would decide on it until a conflict told it so.
 */
class AggregatesUncachedTest {

    private static final JavaClasses ORDERLY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.orderly");

    @Test
    void noAggregateNamesACache() {
        classes().that().areAnnotatedWith(Aggregate.class)
                .should().notBeAnnotatedWith(DescribedPredicate.describe("@Aggregate with a cache",
                        annotation -> annotation.getRawType().isEquivalentTo(Aggregate.class)
                                && !"".equals(annotation.as(Aggregate.class).cache())))
                .check(ORDERLY);
    }

    @Test
    void noClassConfiguresAnAxonCache() {
        noClasses().should().dependOnClassesThat(DescribedPredicate.describe("Axon's caches",
                        (JavaClass type) -> type.getPackageName().startsWith("org.axonframework.common.caching")))
                .check(ORDERLY);
    }
}
