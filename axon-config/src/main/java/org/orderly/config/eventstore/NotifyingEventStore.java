package org.orderly.config.eventstore;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.EventMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Axon's embedded event store, with streams that tell their reader when events arrive.
 * <p>
 * A pooled streaming processor asks its stream for an "events available" callback; the embedded store's
 * streams do not offer one, so every processor falls back to looking again every 500 ms, and each hop
 * of a saga or projection waits a quarter of a second on average. Here one watcher thread tails the
 * store's shared event cache (the same cache every processor reads from) and, whenever the store's
 * producer has appended events to it, runs the callbacks of every open stream: processors then react
 * within milliseconds. The producer itself still wakes on every local commit and polls for events
 * appended by other nodes every {@code fetchDelay}.
 */
public class NotifyingEventStore extends EmbeddedEventStore {

    private static final Logger log = LoggerFactory.getLogger(NotifyingEventStore.class);

    /** A tenth of the store's shared cache (10,000 events): what one producer fetch may pin beyond it. */
    static final int MAX_EVENTS_PER_PRODUCER_FETCH = 1_000;

    private final Set<Runnable> callbacks = new CopyOnWriteArraySet<>();
    private final AtomicBoolean watching = new AtomicBoolean();
    private volatile boolean closed;
    private volatile Thread watcher;

    protected NotifyingEventStore(Builder builder) {
        super(builder);
    }

    public static NotifyingEventStore create(EventStorageEngine storageEngine,
                                             MessageMonitor<? super EventMessage<?>> monitor,
                                             EventBusSpanFactory spanFactory, long fetchDelayMillis) {
        Builder builder = EmbeddedEventStore.builder()
                .storageEngine(new BoundedFetchStorageEngine(storageEngine, MAX_EVENTS_PER_PRODUCER_FETCH))
                .messageMonitor(monitor)
                .fetchDelay(fetchDelayMillis);
        if (spanFactory != null) {
            builder.spanFactory(spanFactory);
        }
        return new NotifyingEventStore(builder);
    }

    @Override
    public org.axonframework.eventhandling.TrackingEventStream openStream(TrackingToken trackingToken) {
        startWatching();
        return new NotifyingStream(super.openStream(trackingToken));
    }

    private void startWatching() {
        if (!watching.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(this::watch, "orderly-event-store-watcher");
        thread.setDaemon(true);
        watcher = thread;
        thread.start();
    }

    /** Follows the head of the store; each batch the producer adds wakes every stream's reader. */
    private void watch() {
        while (!closed) {
            try (BlockingStream<TrackedEventMessage<?>> tail = super.openStream(createHeadToken())) {
                while (!closed) {
                    if (tail.hasNextAvailable(1, TimeUnit.SECONDS)) {
                        while (tail.hasNextAvailable()) {
                            tail.nextAvailable();
                        }
                        callbacks.forEach(Runnable::run);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // Processors still poll on their own; the watcher tries again shortly.
                log.warn("Event store watcher failed; retrying in 1 s", e);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @Override
    public void shutDown() {
        closed = true;
        Thread thread = watcher;
        if (thread != null) {
            thread.interrupt();
        }
        super.shutDown();
    }

    private final class NotifyingStream implements org.axonframework.eventhandling.TrackingEventStream {

        private final org.axonframework.eventhandling.TrackingEventStream delegate;
        private volatile Runnable callback;

        private NotifyingStream(org.axonframework.eventhandling.TrackingEventStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return delegate.peek();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return delegate.hasNextAvailable(timeout, unit);
        }

        /**
         * Asks twice before answering no. Once in a while in a replay of a million events, the embedded store's
         * reader answered "nothing available" far from the head of the store, and the next question found events
         * again: Axon's pooled coordinator takes a no as "caught up" and waits five seconds for a notification
         * that no new event sends (a replay stalled at 20 % for 5 s). A reader that is really at the head costs a
         * second look at the shared cache, no query.
         */
        @Override
        public boolean hasNextAvailable() {
            if (delegate.hasNextAvailable()) {
                return true;
            }
            boolean second = delegate.hasNextAvailable();
            if (second) {
                log.info("The event stream answered no events while events were available; asked again");
            }
            return second;
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return delegate.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            Runnable previous = this.callback;
            if (previous != null) {
                callbacks.remove(previous);
            }
            this.callback = callback;
            callbacks.add(callback);
            return true;
        }

        @Override
        public void close() {
            Runnable current = callback;
            if (current != null) {
                callbacks.remove(current);
            }
            delegate.close();
        }
    }
}
