package org.orderly.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.app.support.ApiAssertions;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

@OrderlyIntegrationTest
class IdempotencyIT {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate eventStore;
    /** One principal for every request, so that a key is only ever reused by whoever first sent it: staff,
     * who sign customers up. */
    Http http;

    @BeforeEach
    void setUp() {
        http = new Identities(port).staff();
    }

    @Test
    void aRetriedPostWithTheSameKeyReturnsTheFirstAnswerAndRunsOnce() {
        String key = UUID.randomUUID().toString();
        String body = "{\"email\": \"idem-" + UUID.randomUUID() + "@example.com\", \"name\": \"Once\", \"password\": \"" + PASSWORD + "\"}";
        long before = eventCount();

        Http.Response first = http.post("/api/customers", body, "Idempotency-Key", key);
        Http.Response retry = http.post("/api/customers", body, "Idempotency-Key", key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(eventCount() - before).as("one registration: one event").isEqualTo(1);
    }

    @Test
    void aRefusalIsReplayedToo() {
        String email = "idem-" + UUID.randomUUID() + "@example.com";
        assertThat(http.post("/api/customers", "{\"email\": \"" + email + "\", \"name\": \"A\", \"password\": \"" + PASSWORD + "\"}").status()).isEqualTo(201);
        String key = UUID.randomUUID().toString();
        String body = "{\"email\": \"" + email + "\", \"name\": \"B\", \"password\": \"" + PASSWORD + "\"}";

        Http.Response first = http.post("/api/customers", body, "Idempotency-Key", key);
        Http.Response retry = http.post("/api/customers", body, "Idempotency-Key", key);

        assertThat(first.status()).isEqualTo(409);
        assertThat(retry.status()).isEqualTo(409);
        assertThat(retry.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void theSameKeyWithADifferentRequestIsA422AndRunsNothing() {
        String key = UUID.randomUUID().toString();
        assertThat(http.post("/api/customers", "{\"email\": \"idem-" + UUID.randomUUID() + "@example.com\", \"name\": \"A\", \"password\": \"" + PASSWORD + "\"}",
                "Idempotency-Key", key).status()).isEqualTo(201);
        long before = eventCount();

        Http.Response other = http.post("/api/customers", "{\"email\": \"idem-" + UUID.randomUUID()
                + "@example.com\", \"name\": \"B\", \"password\": \"" + PASSWORD + "\"}", "Idempotency-Key", key);

        assertThat(other.status()).isEqualTo(422);
        assertThat(other.header("Content-Type")).startsWith("application/problem+json");
        assertThat(other.json().get("errors").get(0).get("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void withoutAKeyEachPostRuns() {
        long before = eventCount();
        http.post("/api/customers", "{\"email\": \"idem-" + UUID.randomUUID() + "@example.com\", \"name\": \"A\", \"password\": \"" + PASSWORD + "\"}");
        http.post("/api/customers", "{\"email\": \"idem-" + UUID.randomUUID() + "@example.com\", \"name\": \"A\", \"password\": \"" + PASSWORD + "\"}");
        assertThat(eventCount() - before).as("two registrations, one event each").isEqualTo(2);
    }

    @Test
    void anOverlongKeyIsA400() {
        Http.Response response = http.post("/api/customers", "{}", "Idempotency-Key", "k".repeat(201));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo("Idempotency-Key");
    }

    private static final String PASSWORD = Identities.CUSTOMER_PASSWORD;

    private long eventCount() {
        return ApiAssertions.eventCount(eventStore);
    }
}
