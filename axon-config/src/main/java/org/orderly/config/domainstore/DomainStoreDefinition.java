package org.orderly.config.domainstore;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Declares a domain's read side. Declaring one as a bean is all a domain needs: it then gets its
 * schema ({@code name}), role ({@code orderly_<name>}), connection pool, Flyway history with
 * migrations under {@code db/migration/<name>}, and, for each processing group listed, a pooled
 * streaming processor whose tokens and dead letters live in that schema.
 * <p>
 * Saga processors ({@link #withSagas}) get a processor, token store and transaction manager here too, but
 * no dead-letter queue: Axon cannot dead-letter saga events. Their saga store lives in this schema as well
 * ({@link DomainStore#sagaStore}).
 *
 * @param name                 the domain, which is also its schema name
 * @param processingGroups     the processing groups whose handlers write to this domain's schema
 * @param sagaProcessingGroups the processors of sagas whose state lives in this schema, by Axon's default
 *                             name {@code <SagaClass>Processor}
 * @param notRebuildableBecause why the schema holds state that replaying events cannot give back (so a
 *                             zero-downtime rebuild, which replaces the whole schema, would lose it), or
 *                             {@code null} when every row derives from events
 * @param appendOnly           whether the schema is a record its own role must not rewrite ({@link #asAppendOnly}):
 *                             then the main owner role owns the schema and its tables and runs its migrations, and
 *                             the domain's role has only what those migrations grant it
 */
public record DomainStoreDefinition(String name, List<String> processingGroups, List<String> sagaProcessingGroups,
                                    String notRebuildableBecause, boolean appendOnly) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,40}");

    public DomainStoreDefinition {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Domain name must match " + NAME + ": " + name);
        }
        processingGroups = List.copyOf(processingGroups);
        sagaProcessingGroups = List.copyOf(sagaProcessingGroups);
        if (appendOnly && (!processingGroups.isEmpty() || !sagaProcessingGroups.isEmpty())) {
            throw new IllegalArgumentException("An append-only domain store has no processors: " + name);
        }
    }

    public DomainStoreDefinition(String name, List<String> processingGroups, List<String> sagaProcessingGroups,
                                 String notRebuildableBecause) {
        this(name, processingGroups, sagaProcessingGroups, notRebuildableBecause, false);
    }

    public DomainStoreDefinition(String name, List<String> processingGroups, List<String> sagaProcessingGroups) {
        this(name, processingGroups, sagaProcessingGroups, null);
    }

    public DomainStoreDefinition(String name, List<String> processingGroups) {
        this(name, processingGroups, List.of());
    }

    /**
     * This definition, marked as holding state that events cannot give back (written by something other than
     * its projections), so that operators are refused a rebuild that would replace it.
     */
    public DomainStoreDefinition withStateNotFromEvents(String why) {
        return new DomainStoreDefinition(name, processingGroups, sagaProcessingGroups, why, appendOnly);
    }

    /**
     * This definition, as a record that its own role may add to and read but never change: the owner role (the
     * one that owns the event store) owns its schema, runs its migrations and owns what they create, so the domain's
     * role cannot update, delete, truncate or drop anything there, only do what the migrations {@code GRANT} to
     * {@code ${role}} (a Flyway placeholder for the domain's role). It has no processors, hence no token or
     * dead-letter tables, and no rebuild schema.
     */
    public DomainStoreDefinition asAppendOnly(String why) {
        return new DomainStoreDefinition(name, processingGroups, sagaProcessingGroups, why, true);
    }

    /** This definition, with these saga processors added. */
    public DomainStoreDefinition withSagas(String... sagaProcessingGroups) {
        List<String> sagas = new java.util.ArrayList<>(this.sagaProcessingGroups);
        sagas.addAll(List.of(sagaProcessingGroups));
        return new DomainStoreDefinition(name, processingGroups, sagas, notRebuildableBecause, appendOnly);
    }

    public static DomainStoreDefinition of(String name, String... processingGroups) {
        return new DomainStoreDefinition(name, List.of(processingGroups));
    }

    public String schema() {
        return name;
    }

    /** {@code <schema>_rebuild}: where a zero-downtime rebuild builds the next version of the read model. */
    public String shadowSchema() {
        return name + "_rebuild";
    }

    public String role() {
        return "orderly_" + name;
    }

    public String migrationLocation() {
        return "classpath:db/migration/" + name;
    }
}
