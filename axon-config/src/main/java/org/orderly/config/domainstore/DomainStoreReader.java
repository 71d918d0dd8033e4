package org.orderly.config.domainstore;

import java.util.List;

/**
 * Declares that this deployable reads a domain's schema without writing it: a command side that decides on the
 * copies a domain keeps of other domains' data (an order placement on the order domain's copies of customers and
 * products), where the processors keeping those copies may run in another process.
 * <p>
 * A reader gets the domain's pool, logged in as the domain's own role (the same domain, so no cross-schema
 * reference), with its isolation verified like any domain store; but no Flyway history, no processors and no
 * dead letters: those belong to the deployable that declares the domain store itself ({@link DomainStoreDefinition}),
 * which migrates the schema. Where both are declared in one process (the all-in-one application), the domain store
 * serves the reader too.
 *
 * @param name             the domain, which is also its schema name
 * @param watchedProcessors the processors writing what the reader reads, whose positions it measures (how fresh
 *                          the copies are) from the domain's token table
 */
public record DomainStoreReader(String name, List<String> watchedProcessors) {

    public DomainStoreReader {
        watchedProcessors = List.copyOf(watchedProcessors);
    }

    public static DomainStoreReader of(String name, String... watchedProcessors) {
        return new DomainStoreReader(name, List.of(watchedProcessors));
    }
}
