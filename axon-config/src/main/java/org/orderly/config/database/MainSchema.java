package org.orderly.config.database;

import java.util.regex.Pattern;

/**
 * A schema of the main database, owned by the event-store role: {@code event_store} itself, and the
 * command side's set-validation tables, which must commit in the same transaction as the events.
 * Declaring one as a bean gives it a Flyway history of its own, with migrations under
 * {@code db/migration/<name>}.
 */
public record MainSchema(String name) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,40}");

    public MainSchema {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Schema name must match " + NAME + ": " + name);
        }
    }

    public String migrationLocation() {
        return "classpath:db/migration/" + name;
    }
}
