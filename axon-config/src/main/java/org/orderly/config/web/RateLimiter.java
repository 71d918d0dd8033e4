package org.orderly.config.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * A token bucket per key (a user name, an address), from Bucket4j: {@code perSecond} sustained, {@code burst}
 * at once. Only the {@code maxKeys} most recently used keys keep a bucket, so a flood of new keys costs bounded
 * memory; a forgotten key starts again with a full bucket, which errs on the side of letting a caller through.
 */
public final class RateLimiter {

    private final long perSecond;
    private final long burst;
    private final Map<String, Bucket> buckets;

    public RateLimiter(long perSecond, long burst, int maxKeys) {
        if (perSecond <= 0 || burst <= 0 || maxKeys <= 0) {
            throw new IllegalArgumentException("perSecond, burst and maxKeys must be positive");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        // A lock around an access-ordered map: held for a lookup only, never while a bucket is consumed.
        this.buckets = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /** Whether {@code key} may make one more call, and if not how long it should wait. */
    public Decision tryConsume(String key) {
        ConsumptionProbe probe = bucketOf(key).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return Decision.ALLOWED;
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + TimeUnit.SECONDS.toNanos(1) - 1);
        return new Decision(false, Math.max(seconds, 1));
    }

    private Bucket bucketOf(String key) {
        synchronized (buckets) {
            return buckets.computeIfAbsent(key, k -> Bucket.builder()
                    .addLimit(limit -> limit.capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)))
                    .build());
        }
    }

    /** How many keys hold a bucket now. */
    int trackedKeys() {
        synchronized (buckets) {
            return buckets.size();
        }
    }

    /**
     * @param allowed           whether the call may go ahead (its token is taken)
     * @param retryAfterSeconds when it may not: whole seconds until it may (at least 1), for {@code Retry-After}
     */
    public record Decision(boolean allowed, long retryAfterSeconds) {
        static final Decision ALLOWED = new Decision(true, 0);
    }
}
