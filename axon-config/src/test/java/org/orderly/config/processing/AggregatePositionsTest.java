package org.orderly.config.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The newest event of given types per aggregate, read from the event store's own schema on a real PostgreSQL. */
class AggregatePositionsTest {

    private static EmbeddedPostgres postgres;
    private static JdbcTemplate jdbc;

    /** Stand-ins for the event types a copy applies and one it does not. */
    record Copied() {
    }

    record Ignored() {
    }

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        Flyway.configure().dataSource(postgres.getPostgresDatabase()).schemas("event_store")
                .defaultSchema("event_store").locations("classpath:db/migration/event_store").load().migrate();
        jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    void eachAggregatesNewestEventOfTheCopiedTypesIsFoundAndAnAggregateWithoutOneIsAbsent() {
        append("customer", 0, Copied.class);
        append("customer", 1, Copied.class);
        long newestCopied = append("customer", 2, Copied.class);
        append("customer", 3, Ignored.class);
        append("customer", 4, Ignored.class);
        long product = append("product", 0, Copied.class);
        append("only-ignored", 0, Ignored.class);

        Map<String, Long> latest = new AggregatePositions(jdbc).latest(
                List.of("customer", "product", "only-ignored", "unknown"), List.of(Copied.class));

        assertThat(latest).containsOnly(Map.entry("customer", newestCopied), Map.entry("product", product));
    }

    private static long append(String aggregate, long sequence, Class<?> type) {
        return jdbc.queryForObject("""
                INSERT INTO event_store.domain_event_entry (aggregate_identifier, sequence_number, type,
                       event_identifier, payload, payload_type, time_stamp)
                VALUES (?, ?, 'Aggregate', gen_random_uuid()::text, '\\x7b7d', ?, '2026-12-06T00:00:00Z')
                RETURNING global_index
                """, Long.class, aggregate, sequence, type.getName());
    }
}
