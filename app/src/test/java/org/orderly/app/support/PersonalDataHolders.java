package org.orderly.app.support;

import java.util.ArrayList;
import java.util.List;

import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.jdbc.core.JdbcTemplate;

/** Where a piece of personal data can still be read: the search the erasure and privacy tests share. */
public final class PersonalDataHolders {

    private PersonalDataHolders() {
    }

    /**
     * Every table of every domain store and of the platform's schemas that holds the sentinel readably, and the
     * event store when a payload or its metadata does.
     *
     * @param main the main database, which holds the platform's schemas and the event store
     */
    public static List<String> holdersOf(JdbcTemplate main, DomainStores stores, String sentinel) {
        List<String> holders = new ArrayList<>();
        for (DomainStore store : stores.all()) {
            holders.addAll(tablesHolding(store.jdbc(), store.schema(), sentinel));
        }
        for (String schema : List.of("idempotency", "ops", "customer_registry")) {
            holders.addAll(tablesHolding(main, schema, sentinel));
        }
        if (main.queryForObject("""
                SELECT count(*) FROM event_store.domain_event_entry
                 WHERE convert_from(payload, 'UTF8') LIKE ? OR convert_from(meta_data, 'UTF8') LIKE ?
                """, Long.class, "%" + sentinel + "%", "%" + sentinel + "%") > 0) {
            holders.add("event_store.domain_event_entry");
        }
        return holders;
    }

    private static List<String> tablesHolding(JdbcTemplate jdbc, String schema, String sentinel) {
        List<String> holders = new ArrayList<>();
        for (String table : jdbc.queryForList("""
                SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'
                """, String.class, schema)) {
            // bytea columns (answer bodies, serialized saga state, tokens) as escaped text, so JSON in them is searched
            List<String> columns = jdbc.query("""
                    SELECT column_name, data_type FROM information_schema.columns
                     WHERE table_schema = ? AND table_name = ?""", (rs, row) -> rs.getString(2).equals("bytea")
                    ? "coalesce(encode(\"" + rs.getString(1) + "\", 'escape'), '')"
                    : "coalesce(\"" + rs.getString(1) + "\"::text, '')", schema, table);
            Long hits = jdbc.queryForObject("SELECT count(*) FROM " + schema + "." + table + " WHERE "
                    + String.join(" || ' ' || ", columns) + " LIKE ?", Long.class, "%" + sentinel + "%");
            if (hits != null && hits > 0) {
                holders.add(schema + "." + table);
            }
        }
        return holders;
    }
}
