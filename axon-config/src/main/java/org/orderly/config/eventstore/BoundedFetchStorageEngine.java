package org.orderly.config.eventstore;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import javax.annotation.Nonnull;
import javax.annotation.Nullable;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
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
 */
final class BoundedFetchStorageEngine implements EventStorageEngine {

    private final EventStorageEngine delegate;
    private final int maxEventsPerFetch;

    BoundedFetchStorageEngine(EventStorageEngine delegate, int maxEventsPerFetch) {
        if (maxEventsPerFetch < 1) {
            throw new IllegalArgumentException("maxEventsPerFetch must be positive: " + maxEventsPerFetch);
        }
        this.delegate = delegate;
        this.maxEventsPerFetch = maxEventsPerFetch;
    }

    @Override
    public Stream<? extends TrackedEventMessage<?>> readEvents(@Nullable TrackingToken trackingToken,
                                                                boolean mayBlock) {
        Stream<? extends TrackedEventMessage<?>> events = delegate.readEvents(trackingToken, mayBlock);
        return mayBlock ? events.limit(maxEventsPerFetch) : events;
    }

    @Override
    public void appendEvents(@Nonnull List<? extends EventMessage<?>> events) {
        delegate.appendEvents(events);
    }

    @Override
    public void appendEvents(@Nonnull EventMessage<?>... events) {
        delegate.appendEvents(events);
    }

    @Override
    public void storeSnapshot(@Nonnull DomainEventMessage<?> snapshot) {
        delegate.storeSnapshot(snapshot);
    }

    @Override
    public DomainEventStream readEvents(@Nonnull String aggregateIdentifier) {
        return delegate.readEvents(aggregateIdentifier);
    }

    @Override
    public DomainEventStream readEvents(@Nonnull String aggregateIdentifier, long firstSequenceNumber) {
        return delegate.readEvents(aggregateIdentifier, firstSequenceNumber);
    }

    @Override
    public Optional<DomainEventMessage<?>> readSnapshot(@Nonnull String aggregateIdentifier) {
        return delegate.readSnapshot(aggregateIdentifier);
    }

    @Override
    public Optional<Long> lastSequenceNumberFor(@Nonnull String aggregateIdentifier) {
        return delegate.lastSequenceNumberFor(aggregateIdentifier);
    }

    @Override
    public TrackingToken createTailToken() {
        return delegate.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return delegate.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(@Nonnull Instant dateTime) {
        return delegate.createTokenAt(dateTime);
    }
}
