package org.orderly.config.saga;

import java.time.Duration;

/**
 * How a saga retries, from its own properties.
 *
 * @param maxAttempts  how many times one step is tried before the saga gives up on it
 * @param backoff      the wait before the first retry; each further retry waits twice as long
 * @param maxBackoff   the longest wait between two retries
 * @param stageResends how many times a stage deadline sends its step again before the saga gives up waiting
 */
public record RetryPolicy(int maxAttempts, Duration backoff, Duration maxBackoff, int stageResends) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (stageResends < 0) {
            throw new IllegalArgumentException("stageResends must not be negative");
        }
    }

    /** The wait before retry number {@code attempt} (1 for the first retry). */
    public Duration backoff(int attempt) {
        Duration wait = backoff.multipliedBy(1L << Math.min(Math.max(attempt - 1, 0), 20));
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
