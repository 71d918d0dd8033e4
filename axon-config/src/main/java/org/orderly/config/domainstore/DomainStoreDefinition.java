package org.orderly.config.domainstore;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Declares a domain's read side. Declaring one as a bean is all a domain needs: it then gets its
 * schema ({@code name}), role ({@code orderly_<name>}), connection pool, Flyway history with
 * migrations under {@code db/migration/<name>}, and, for each processing group listed, a pooled
 * streaming processor whose tokens and dead letters live in that schema.
 *
 * @param name             the domain, which is also its schema name
 * @param processingGroups the processing groups whose handlers write to this domain's schema
 */
public record DomainStoreDefinition(String name, List<String> processingGroups) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,40}");

    public DomainStoreDefinition {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Domain name must match " + NAME + ": " + name);
        }
        processingGroups = List.copyOf(processingGroups);
    }

    public static DomainStoreDefinition of(String name, String... processingGroups) {
        return new DomainStoreDefinition(name, List.of(processingGroups));
    }

    public String schema() {
        return name;
    }

    public String role() {
        return "orderly_" + name;
    }

    public String migrationLocation() {
        return "classpath:db/migration/" + name;
    }
}
