package org.orderly.config.domainstore;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.Message;
import org.orderly.config.eventstore.TokenPositions;

/**
 * Which events a projection handles one savepoint at a time.
 * <p>
 * A savepoint per event lets the dead-letter queue park one failing event without losing its batch, but
 * costs two extra round trips per event, and it rules out writing a batch's rows together. So a batch
 * first runs optimistically, with neither; when it fails, the positions it covered are marked here and
 * the retried batch handles them in isolation, so the failing event is parked alone and the rest commit.
 * After a failure the group also stays isolated for {@link #WINDOW}, whatever the position: poison rarely
 * comes alone, and every failed batch costs the segment a back-off of a second or more before its retry.
 * Marks are kept in memory only: after a restart a failing batch simply fails once more first.
 */
final class EventIsolation {

    private static final ThreadLocal<Boolean> ISOLATED = ThreadLocal.withInitial(() -> false);
    private static final ThreadLocal<String> GROUP = new ThreadLocal<>();

    static final long WINDOW = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

    private final Map<String, AtomicLong> isolatedUpTo = new ConcurrentHashMap<>();
    private final Map<String, Long> isolatedUntil = new ConcurrentHashMap<>();

    boolean isolated(String processingGroup, long position) {
        AtomicLong upTo = isolatedUpTo.get(processingGroup);
        if (upTo == null) {
            return false;
        }
        Long until = isolatedUntil.get(processingGroup);
        return position <= upTo.get() || (until != null && System.nanoTime() - until < 0);
    }

    void isolateUpTo(String processingGroup, long position) {
        isolatedUntil.put(processingGroup, System.nanoTime() + WINDOW);
        isolatedUpTo.computeIfAbsent(processingGroup, g -> new AtomicLong(-1)).accumulateAndGet(position, Math::max);
    }

    /** Whether the handler running on this thread runs in its own savepoint (so its writes must not wait). */
    static boolean handlingInIsolation() {
        return ISOLATED.get();
    }

    /** The processing group whose handler runs on this thread, if any. */
    static String handlingGroup() {
        return GROUP.get();
    }

    static void enter(String processingGroup, boolean isolated) {
        GROUP.set(processingGroup);
        ISOLATED.set(isolated);
    }

    static void leave() {
        GROUP.remove();
        ISOLATED.set(false);
    }

    static long positionOf(Message<?> message) {
        return message instanceof TrackedEventMessage<?> tracked ? TokenPositions.of(tracked.trackingToken()) : -1L;
    }
}
