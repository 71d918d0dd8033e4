package org.orderly.config.database;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * A schema of the main database, owned by the owner role and used by the event-store role: {@code event_store}
 * itself, and the command side's set-validation tables, which must commit in the same transaction as the
 * events. Declaring one as a bean gives it a Flyway history of its own, with migrations under
 * {@code db/migration/<name>}, run as the owner.
 *
 * @param privileges what the event-store role may do on each table, when the schema restricts it: a table listed
 *                   gets exactly its privileges, a table not listed gets none. Empty (the usual case): every table
 *                   gets {@code SELECT, INSERT, UPDATE, DELETE}. Never DDL, never TRUNCATE, never the Flyway history.
 */
public record MainSchema(String name, Map<String, String> privileges) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,40}");
    private static final Pattern PRIVILEGES = Pattern.compile("(SELECT|INSERT|UPDATE|DELETE)(, (SELECT|INSERT|UPDATE|DELETE))*");
    static final String READ_WRITE = "SELECT, INSERT, UPDATE, DELETE";

    public MainSchema {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Schema name must match " + NAME + ": " + name);
        }
        privileges = Map.copyOf(privileges);
        privileges.forEach((table, granted) -> {
            DatabaseAdministration.requireIdentifier(table);
            if (!PRIVILEGES.matcher(granted).matches()) {
                throw new IllegalArgumentException("Privileges must match " + PRIVILEGES + ": " + granted);
            }
        });
    }

    /** A schema whose tables the event-store role may read and write. */
    public MainSchema(String name) {
        this(name, Map.of());
    }

    /** What the event-store role may do on {@code table}, or {@code null} for nothing. */
    public String privilegesOn(String table) {
        return privileges.isEmpty() ? READ_WRITE : privileges.get(table);
    }

    public String migrationLocation() {
        return "classpath:db/migration/" + name;
    }
}
