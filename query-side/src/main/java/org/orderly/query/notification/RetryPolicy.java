package org.orderly.query.notification;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how soon a failed notification is tried again: the wait doubles after each failed
 * attempt, from {@code base} up to {@code max}, and after {@code maxAttempts} attempts it is FAILED.
 */
record RetryPolicy(int maxAttempts, Duration base, Duration max) {

    RetryPolicy {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(max, "max");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("Backoff needs 0 < base <= max, got base " + base + ", max " + max);
        }
    }

    /** The wait after {@code attempts} failed attempts (1 or more): base, 2 base, 4 base, ... capped at max. */
    Duration backoff(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
        }
        int doublings = attempts - 1;
        if (doublings >= Long.SIZE - 1) {
            return max;
        }
        try {
            Duration wait = base.multipliedBy(1L << doublings);
            return wait.compareTo(max) > 0 ? max : wait;
        } catch (ArithmeticException overflow) {
            return max;
        }
    }

    /** Whether a notification that has failed {@code attempts} times may be tried again. */
    boolean allowsAnotherAttempt(int attempts) {
        return attempts < maxAttempts;
    }
}
