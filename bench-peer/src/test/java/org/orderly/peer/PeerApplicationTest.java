package org.orderly.peer;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The peer on a real PostgreSQL, in a database of its own as the harness runs it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PeerApplicationTest {

    private static final EmbeddedPostgres POSTGRES = start();

    @Autowired
    TestRestTemplate rest;
    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> POSTGRES.getJdbcUrl("postgres", "peer"));
    }

    @AfterAll
    static void stop() throws IOException {
        POSTGRES.close();
    }

    @Test
    void aRegisteredCustomerBecomesVisibleThroughItsSummary() throws InterruptedException {
        ResponseEntity<Map> created = rest.postForEntity("/api/customers",
                Map.of("email", "ada@example.com", "name", "Ada"), Map.class);
        assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        String id = (String) created.getBody().get("customerId");
        assertThat(created.getHeaders().getLocation()).hasToString("/api/customers/" + id);

        ResponseEntity<Map> found = awaitFound("/api/customers/" + id, Duration.ofSeconds(30));
        assertThat(found.getBody()).containsEntry("customerId", id).containsEntry("email", "ada@example.com")
                .containsEntry("name", "Ada");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, id)).isEqualTo(1);
    }

    @Test
    void anUnknownCustomerIsNotFound() {
        assertThat(rest.getForEntity("/api/customers/" + UUID.randomUUID(), Map.class).getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void aRegistrationWithoutANameIsRefusedAndWritesNothing() {
        Long before = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
        Map<String, String> body = new HashMap<>();
        body.put("email", "x@example.com");
        assertThat(rest.postForEntity("/api/customers", body, Map.class).getStatusCode())
                .isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class)).isEqualTo(before);
    }

    /** Axon's @Lob columns must be inline bytea, not PostgreSQL large objects (oid). */
    @Test
    void serializedColumnsAreByteaAndNoLargeObjectsAreCreated() throws InterruptedException {
        ResponseEntity<Map> created = rest.postForEntity("/api/customers",
                Map.of("email", "grace@example.com", "name", "Grace"), Map.class);
        awaitFound("/api/customers/" + created.getBody().get("customerId"), Duration.ofSeconds(30));
        Map<String, String> types = new HashMap<>();
        jdbc.query("""
                SELECT table_name || '.' || column_name, data_type FROM information_schema.columns
                 WHERE table_schema = 'public' AND column_name IN ('payload', 'meta_data', 'token')""",
                (ResultSet rs) -> {
                    types.put(rs.getString(1), rs.getString(2));
                });
        assertThat(types).containsEntry("domain_event_entry.payload", "bytea")
                .containsEntry("domain_event_entry.meta_data", "bytea")
                .containsEntry("token_entry.token", "bytea")
                .doesNotContainValue("oid");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM pg_largeobject_metadata", Long.class)).isZero();
        // the token really is stored, and readable JSON (Jackson, not XStream)
        String token = jdbc.queryForObject(
                "SELECT convert_from(token, 'UTF8') FROM token_entry WHERE processor_name = 'customer-summaries'",
                String.class);
        assertThat(token).contains("\"index\"");
    }

    private ResponseEntity<Map> awaitFound(String path, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ResponseEntity<Map> response = rest.getForEntity(path, Map.class);
            if (response.getStatusCode() == HttpStatus.OK || System.nanoTime() > deadline) {
                assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
                return response;
            }
            Thread.sleep(50);
        }
    }

    private static EmbeddedPostgres start() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE peer");
            }
            return postgres;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
