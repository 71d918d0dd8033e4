package org.orderly.bench;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An HTTP answer as the harness keeps it; status -1 when there was none (the body says why: {@code "interrupted"}
 * when the harness gave up waiting).
 *
 * @param position the answer's {@code Orderly-Position}, where a command stored events
 */
record Response(int status, String body, String position) {

    JsonNode json() {
        try {
            return Http.JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("Not JSON (" + status + "): " + body, e);
        }
    }

    /** Fails unless the answer has {@code status}. */
    Response expect(int expected) {
        if (status != expected) {
            throw new IllegalStateException("expected " + expected + ", got " + status + ": " + body);
        }
        return this;
    }
}
