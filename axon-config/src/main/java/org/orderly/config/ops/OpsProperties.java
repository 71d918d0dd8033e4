package org.orderly.config.ops;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orderly.ops.*}: how nodes coordinate replays and rebuilds, and what the dashboard's plots sample.
 *
 * @param holdWatchInterval how often every node looks at the processor holds other nodes took, to stop (and
 *                          later restart) its own instances of the held processors, and renews its own holds
 * @param holdLease         how long a hold outlives the last renewal by its node: a node that died while holding
 *                          a processor stops holding it after this, and the other nodes start it again
 * @param releaseTimeout    how long a replay or rebuild waits for the other nodes to release the processor's
 *                          segments; a node that still holds one then (a node that is hung, or one too old to
 *                          watch holds) fails the request with a 409 naming it
 * @param sampleInterval    how often this node samples the cluster for the dashboard's plots: the event store's
 *                          head and every processor's slowest position, read from the database
 * @param sampleWindow      how far back the dashboard's plots go; samples older than this are dropped from memory
 * @param replayWatchInterval how often this node looks whether a running replay, whichever node started it, has
 *                          caught up, to finish its record
 */
@ConfigurationProperties("orderly.ops")
public record OpsProperties(@DefaultValue("500ms") Duration holdWatchInterval,
                            @DefaultValue("30s") Duration holdLease,
                            @DefaultValue("15s") Duration releaseTimeout,
                            @DefaultValue("5s") Duration sampleInterval,
                            @DefaultValue("10m") Duration sampleWindow,
                            @DefaultValue("500ms") Duration replayWatchInterval) {

    public OpsProperties {
        requirePositive("hold-watch-interval", holdWatchInterval);
        requirePositive("hold-lease", holdLease);
        requirePositive("release-timeout", releaseTimeout);
        requirePositive("sample-interval", sampleInterval);
        requirePositive("sample-window", sampleWindow);
        requirePositive("replay-watch-interval", replayWatchInterval);
        if (holdLease.compareTo(holdWatchInterval.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("orderly.ops.hold-lease must be at least three hold-watch-intervals, "
                    + "or a hold lapses between two renewals");
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("orderly.ops." + name + " must be positive");
        }
    }

    /** How many samples the window holds. */
    int samplesKept() {
        return (int) Math.max(2, sampleWindow.toMillis() / sampleInterval.toMillis() + 1);
    }
}
