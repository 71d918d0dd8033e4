package org.orderly.config.ops;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a replay or rebuild still needs, going by its rate so far: the time it took for the percentage done,
 * scaled to the percentage left. Nothing to go by yet (no progress, or no time passed) is {@code null}, never a
 * guess.
 */
final class Eta {

    private Eta() {
    }

    static Long secondsLeft(Instant startedAt, Instant now, double percentDone) {
        if (percentDone <= 0 || percentDone >= 100 || !now.isAfter(startedAt)) {
            return percentDone >= 100 ? Long.valueOf(0) : null;
        }
        double elapsed = Duration.between(startedAt, now).toMillis() / 1000.0;
        return Math.round(elapsed * (100.0 - percentDone) / percentDone);
    }
}
