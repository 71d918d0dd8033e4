package org.orderly.config.eventstore.gaps;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Global indexes a tracked read passed without reading them, each with when it was first passed: the candidates for a
 * late commit; and, for each of them until it is {@linkplain #forget forgotten}, the processors that handled its event
 * all the same (through a read that did wait for it), which need no delivery. Bounded in number and age; reads and the
 * handling check take no lock.
 */
public final class PassedGaps {

    private static final Logger log = LoggerFactory.getLogger(PassedGaps.class);

    private final ConcurrentSkipListMap<Long, Instant> passed = new ConcurrentSkipListMap<>();
    /** Processors that handled the event of a watched or found index, by index. */
    private final Map<Long, Set<String>> handledBy = new ConcurrentHashMap<>();
    /** The index of each event read by filling a gap that is watched, by event identifier. */
    private final Map<String, Long> gapReads = new ConcurrentHashMap<>();
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
        if (passed.putIfAbsent(index, clock.instant()) != null) {
            return;
        }
        handledBy.putIfAbsent(index, ConcurrentHashMap.newKeySet());
        if (passed.size() > maxWatched) {
            long lowest = passed.pollFirstEntry().getKey();
            forget(lowest);
            if (givenUp++ % 10_000 == 0) {
                log.warn("More than {} passed uncommitted event store indexes watched; no longer watching {} "
                        + "(a commit there would not be delivered)", maxWatched, lowest);
            }
        }
    }

    /** Records that a read filled the gap at {@code index} with the event {@code eventIdentifier}. */
    void gapRead(long index, String eventIdentifier) {
        if (handledBy.containsKey(index)) {
            gapReads.put(eventIdentifier, index);
        }
    }

    /** Records that {@code processor} handled the event at {@code index} (read at its token's index, or a gap). */
    void handled(String processor, String eventIdentifier, long tokenIndex) {
        if (handledBy.isEmpty()) {
            return;
        }
        Long index = gapReads.getOrDefault(eventIdentifier, tokenIndex);
        Set<String> processors = handledBy.get(index);
        if (processors != null) {
            processors.add(processor);
        }
    }

    /** The processors known to have handled the event at {@code index}. */
    Set<String> handledBy(long index) {
        Set<String> processors = handledBy.get(index);
        return processors == null ? Set.of() : Set.copyOf(processors);
    }

    /** The watched indexes, lowest first, after forgetting those passed longer ago than the horizon. */
    public synchronized List<Long> watched() {
        Instant oldest = clock.instant().minus(horizon);
        passed.entrySet().removeIf(entry -> {
            if (entry.getValue().isBefore(oldest)) {
                forget(entry.getKey());
                return true;
            }
            return false;
        });
        return new ArrayList<>(passed.keySet());
    }

    /**
     * Stops watching {@code index} (it has committed), answering when it was first passed, or null; who handled it
     * is still recorded until it is forgotten.
     */
    public synchronized Instant remove(long index) {
        return passed.remove(index);
    }

    /** Forgets everything about {@code index}. */
    public void forget(long index) {
        if (handledBy.remove(index) != null) {
            gapReads.values().removeIf(read -> read == index);
        }
    }

    public int size() {
        return passed.size();
    }

    /** A copy, for tests. */
    Map<Long, Instant> snapshot() {
        return Map.copyOf(passed);
    }
}
