package org.orderly.config.eventstore.gaps;

import java.util.List;
import java.util.SortedSet;
import java.util.stream.Stream;

import javax.annotation.Nullable;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.orderly.config.eventstore.DelegatingStorageEngine;

/**
 * Records each index a tracked read gives up: between two consecutive tokens of a read (its start and its events), an
 * index that the earlier token had not covered, that the later one covers, and that was not the event read. Costs a
 * comparison per event while a read has no gaps.
 */
public final class GapWatchingStorageEngine extends DelegatingStorageEngine {

    /** Beyond this many indexes skipped in one step (a jump of the sequence) only the first are recorded. */
    static final long MAX_RECORDED_PER_STEP = 10_000;

    private final PassedGaps gaps;

    public GapWatchingStorageEngine(EventStorageEngine delegate, PassedGaps gaps) {
        super(delegate);
        this.gaps = gaps;
    }

    /** The engine reads go to without being watched: for delivering a late event. */
    EventStorageEngine unwatched() {
        return delegate;
    }

    @Override
    public Stream<? extends TrackedEventMessage<?>> readEvents(@Nullable TrackingToken trackingToken,
                                                                boolean mayBlock) {
        Chain chain = new Chain(gapAware(trackingToken));
        return delegate.readEvents(trackingToken, mayBlock).peek(chain::advance);
    }

    private static GapAwareTrackingToken gapAware(TrackingToken token) {
        return token == null ? null : WrappedToken.unwrap(token, GapAwareTrackingToken.class).orElse(null);
    }

    /** The tokens of one read, in order; only its reading thread touches it. */
    private final class Chain {
        private GapAwareTrackingToken previous;

        private Chain(GapAwareTrackingToken start) {
            this.previous = start;
        }

        private void advance(TrackedEventMessage<?> event) {
            GapAwareTrackingToken next = gapAware(event.trackingToken());
            if (next == null) {
                return;
            }
            GapAwareTrackingToken before = previous;
            previous = next;
            if (before == null || (before.getGaps().isEmpty() && next.getIndex() == before.getIndex() + 1)) {
                return;
            }
            recordGivenUp(before, next, event.getIdentifier(), gaps);
        }
    }

    /**
     * Every index {@code before} had yet to read and {@code next} no longer waits for, but the one read. A read
     * forward reads the index of its new token; a read of a gap keeps the token's index and drops that one gap. When
     * a read of a gap also drops others (an event older than the gap timeout keeps no gaps), which one was read is
     * not known: all are recorded, and the one read may be delivered again (see the package description).
     */
    static void recordGivenUp(GapAwareTrackingToken before, GapAwareTrackingToken next, String eventIdentifier,
                              PassedGaps gaps) {
        SortedSet<Long> waiting = next.getGaps();
        long read = next.getIndex();
        if (read < before.getIndex()) {
            return;
        }
        if (read == before.getIndex()) {
            List<Long> dropped = before.getGaps().stream().filter(gap -> !waiting.contains(gap)).toList();
            if (dropped.size() == 1) {
                gaps.gapRead(dropped.get(0), eventIdentifier);
            } else {
                dropped.forEach(gaps::passed);
            }
            return;
        }
        for (Long gap : before.getGaps()) {
            if (!waiting.contains(gap)) {
                gaps.passed(gap);
            }
        }
        long end = Math.min(read, before.getIndex() + 1 + MAX_RECORDED_PER_STEP);
        for (long index = before.getIndex() + 1; index < end; index++) {
            if (!waiting.contains(index)) {
                gaps.passed(index);
            }
        }
    }
}
