package org.orderly.app.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.jdbc.core.JdbcTemplate;

/** What every REST test checks the same way: a problem+json answer, and whether anything was written. */
public final class ApiAssertions {

    private ApiAssertions() {
    }

    /** An RFC 9457 answer with this status, a detail, and no trace of the server's internals. */
    public static void assertProblem(Http.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        JsonNode body = response.json();
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("detail").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("trace");
    }

    /** The fields a problem+json answer names in its {@code errors}, in order. */
    public static List<String> fields(Http.Response response) {
        List<String> fields = new ArrayList<>();
        response.json().path("errors").forEach(e -> fields.add(e.get("field").asText()));
        return fields;
    }

    /** A problem+json answer with this status whose errors name this field. */
    public static void assertProblem(Http.Response response, int status, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(fields(response)).as(response.toString()).contains(field);
    }

    /** Events in the event store: unchanged across a refused request means nothing was written. */
    public static long eventCount(JdbcTemplate eventStore) {
        return eventStore.queryForObject("SELECT count(*) FROM event_store.domain_event_entry", Long.class);
    }
}
