package org.orderly.config.eventstore;

import java.util.stream.Stream;

import javax.annotation.Nullable;

import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;

/**
 * The storage engine as the embedded event store's producer sees it: each of its fetches ends after
 * {@code maxEventsPerFetch} events, and the producer starts the next one from where it stopped.
 * <p>
 * The producer ({@code EmbeddedEventStore.EventProducer#fetchData}) keeps the cache node it started a fetch at in a
 * local variable until the fetch's stream ends, and the stream only ends when the store has no more events. When a
 * million events arrive at once (a bulk import, another node catching up) every cached event of that fetch stays
 * reachable, far beyond the cache's size: a 1,000,000-event catch-up ran a 512 MB and a 1 GB heap out of memory
 * (the heap dump's oldest node was held by that frame; AxonFramework issue 2954). Bounding each fetch bounds what the
 * frame holds. Only the producer reads with {@code mayBlock} set; every other read passes through unchanged.
 * <p>
 * <b>Works around Axon</b> (listed with the others in {@code docs/axon-workarounds.md}). This can go when Axon's
 * {@code EmbeddedEventStore} producer no longer pins the node its fetch started at.
 */
final class BoundedFetchStorageEngine extends DelegatingStorageEngine {

    private final int maxEventsPerFetch;

    BoundedFetchStorageEngine(EventStorageEngine delegate, int maxEventsPerFetch) {
        super(delegate);
        if (maxEventsPerFetch < 1) {
            throw new IllegalArgumentException("maxEventsPerFetch must be positive: " + maxEventsPerFetch);
        }
        this.maxEventsPerFetch = maxEventsPerFetch;
    }

    @Override
    public Stream<? extends TrackedEventMessage<?>> readEvents(@Nullable TrackingToken trackingToken,
                                                                boolean mayBlock) {
        Stream<? extends TrackedEventMessage<?>> events = delegate.readEvents(trackingToken, mayBlock);
        return mayBlock ? events.limit(maxEventsPerFetch) : events;
    }
}
