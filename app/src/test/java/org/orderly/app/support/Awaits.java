package org.orderly.app.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The waits a test makes on an eventually consistent system, written once: for a read model to show what a command
 * did, for a processor to catch up with the event store, for the event store to fall quiet.
 */
public final class Awaits {

    /** How long a read model may take to show a change, on a machine busy with other builds. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private Awaits() {
    }

    /** Waits until {@code GET path} answers 200 with a body that satisfies the condition, and returns that body. */
    public static JsonNode awaitFound(Http http, String path, Predicate<JsonNode> condition) {
        JsonNode[] found = new JsonNode[1];
        await(path).atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
            Http.Response response = http.get(path);
            if (response.status() != 200) {
                return false;
            }
            found[0] = response.json();
            return condition.test(found[0]);
        });
        return found[0];
    }

    /** Waits until the first item of the list at {@code listPath} satisfies the condition, and returns it. */
    public static JsonNode awaitFirst(Http http, String listPath, Predicate<JsonNode> condition) {
        JsonNode[] found = new JsonNode[1];
        await(listPath).atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode items = http.get(listPath).json().get("items");
            if (items.isEmpty()) {
                return false;
            }
            found[0] = items.get(0);
            return condition.test(found[0]);
        });
        return found[0];
    }

    /** Waits until the processor has handled every event in the store, as the operator API measures it. */
    public static void awaitCaughtUp(Http operator, String processor) {
        await(processor).atMost(PATIENCE).until(() ->
                operator.get("/api/ops/processors/" + processor).json().get("lagEvents").asLong() == 0);
    }

    /**
     * Waits until the event store stops growing: what sagas write after a read model changed has landed once
     * two counts half a second apart agree.
     */
    public static void awaitQuiet(JdbcTemplate eventStore) {
        long[] last = {-1};
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> {
            long now = ApiAssertions.eventCount(eventStore);
            boolean quiet = now == last[0];
            last[0] = now;
            return quiet;
        });
    }
}
