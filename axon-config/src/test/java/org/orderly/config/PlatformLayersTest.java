package org.orderly.config;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.List;

import com.tngtech.archunit.core.domain.PackageMatcher;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * The platform module's packages, bottom to top: each may use the ones below it and none above, and no two depend on
 * each other, so a reader can take them in this order and a change to one touches only those above it.
 */
class PlatformLayersTest {

    /**
     * Bottom to top. The root package holds only what every room uses (settings, defaults, health statuses); a
     * package name ending in {@code ..} takes its sub-packages with it.
     */
    static final List<String> LAYERS = List.of(
            "org.orderly.config",               // settings, defaults, health statuses
            "org.orderly.config.database..",    // the PostgreSQL, its roles and schemas
            "org.orderly.config.eventstore..",  // Axon's JDBC event store, notifying streams, late commits
            "org.orderly.config.domainstore..", // each domain's schema, pool, token store and processors
            "org.orderly.config.processing..",  // lag, event age, segment scaling of those processors
            "org.orderly.config.cluster..",     // nodes on one database, segment balance, once-per-cluster jobs
            "org.orderly.config.retention..",   // expiring data, run once per cluster
            "org.orderly.config.command..",     // the command gateway, conflicts, saga commands
            "org.orderly.config.query..",       // the query bus
            "org.orderly.config.saga..",        // the machinery every saga shares
            "org.orderly.config.security",      // who may call what
            "org.orderly.config.web..",         // HTTP conventions: problems, idempotency, read-your-writes
            "org.orderly.config.audit..",       // the data-access audit log
            "org.orderly.config.privacy..",     // sealing, keys, export, erasure
            "org.orderly.config.security.issuer..", // the embedded OpenID Connect issuer and its identity store
            "org.orderly.config.ops..",         // the operator API and dashboard
            "org.orderly.config.backup..",      // backups and restore of the embedded PostgreSQL
            "org.orderly.config.deployable.."); // which deployable a node is

    private static final JavaClasses PLATFORM = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.orderly.config");

    @Test
    void noPlatformPackageUsesOneAboveIt() {
        layers().check(PLATFORM);
    }

    @Test
    void platformPackagesFormNoCycle() {
        slices().assignedFrom(LAYER_OF_CLASS).should().beFreeOfCycles().check(PLATFORM);
    }

    /** A class's slice is the most specific layer its package belongs to. */
    private static final SliceAssignment LAYER_OF_CLASS = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String found = null;
            for (String layer : LAYERS) {
                if (PackageMatcher.of(layer).matches(javaClass.getPackageName())) {
                    found = layer;
                }
            }
            return found == null ? SliceIdentifier.ignore() : SliceIdentifier.of(found);
        }

        @Override
        public String getDescription() {
            return "the platform layers";
        }
    };

    /** Each layer may be used only by the layers above it. */
    static LayeredArchitecture layers() {
        LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (int i = 0; i < LAYERS.size(); i++) {
            layers = layers.layer(name(i)).definedBy(LAYERS.get(i));
        }
        for (int i = 0; i < LAYERS.size() - 1; i++) {
            String[] above = new String[LAYERS.size() - 1 - i];
            for (int j = i + 1; j < LAYERS.size(); j++) {
                above[j - i - 1] = name(j);
            }
            layers = layers.whereLayer(name(i)).mayOnlyBeAccessedByLayers(above);
        }
        return layers.whereLayer(name(LAYERS.size() - 1)).mayNotBeAccessedByAnyLayer();
    }

    private static String name(int layer) {
        return LAYERS.get(layer).replace("org.orderly.config", "root").replace("..", "");
    }
}
