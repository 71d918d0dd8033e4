package org.orderly.config.eventstore.gaps;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Global indexes a tracked read passed without reading them, each with when it was first passed: the candidates for a
 * late commit. Bounded in number and age.
 */
public final class PassedGaps {

    private static final Logger log = LoggerFactory.getLogger(PassedGaps.class);

    private final TreeMap<Long, Instant> passed = new TreeMap<>();
    private final int maxWatched;
    private final Duration horizon;
    private final Clock clock;
    private long givenUp;

    public PassedGaps(int maxWatched, Duration horizon, Clock clock) {
        if (maxWatched < 1) {
            throw new IllegalArgumentException("maxWatched must be positive: " + maxWatched);
        }
        this.maxWatched = maxWatched;
        this.horizon = horizon;
        this.clock = clock;
    }

    /** Records that a read passed {@code index} without reading it; the first time counts. */
    public synchronized void passed(long index) {
        if (passed.putIfAbsent(index, clock.instant()) == null && passed.size() > maxWatched) {
            long lowest = passed.pollFirstEntry().getKey();
            if (givenUp++ % 10_000 == 0) {
                log.warn("More than {} passed uncommitted event store indexes watched; no longer watching {} "
                        + "(a commit there would not be delivered)", maxWatched, lowest);
            }
        }
    }

    /** The watched indexes, lowest first, after forgetting those passed longer ago than the horizon. */
    public synchronized List<Long> watched() {
        Instant oldest = clock.instant().minus(horizon);
        passed.values().removeIf(at -> at.isBefore(oldest));
        return new ArrayList<>(passed.keySet());
    }

    /** Stops watching {@code index} (it has committed), answering when it was first passed, or null. */
    public synchronized Instant remove(long index) {
        return passed.remove(index);
    }

    public synchronized int size() {
        return passed.size();
    }

    /** A copy, for tests. */
    synchronized Map<Long, Instant> snapshot() {
        return new TreeMap<>(passed);
    }
}
