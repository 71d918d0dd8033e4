package org.orderly.config.eventstore;

import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
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
 * <p>
 * A processor tells its stream which payload types it has no handler for
 * ({@link TrackingEventStream#skipMessagesWithPayloadTypeOf}); a stream whose new events are all of such
 * types is woken at most every {@link #QUIET_WAKE_UP}, not at every commit. With a dozen processors and
 * most events interesting to two or three of them, that spares most coordinator and worker wake-ups,
 * while an idle processor's token still follows the head closely. Under steady traffic a stream is woken at
 * most every {@code wakeUpInterval} by events it handles, so that they reach its processor as one batch.
 * <p>
 * <b>Works around Axon</b> (listed with the others in {@code docs/axon-workarounds.md}). Axon 4.13's embedded store
 * answers {@code BlockingStream#setOnAvailableCallback} with false; this can go when it accepts the callback.
 */
public class NotifyingEventStore extends EmbeddedEventStore {

    private static final Logger log = LoggerFactory.getLogger(NotifyingEventStore.class);

    /** A tenth of the store's shared cache (10,000 events): what one producer fetch may pin beyond it. */
    static final int MAX_EVENTS_PER_PRODUCER_FETCH = 1_000;

    /** How long new events that a stream's processor ignores may wait before they wake it. */
    static final Duration QUIET_WAKE_UP = Duration.ofMillis(100);

    /**
     * How long a reader behind the head may go without reading before it is woken, even though nothing new
     * arrives. Axon's pooled coordinator checks for room in its work packages twice after reading: when a worker
     * makes room between the two checks, it waits for an "events available" callback or 5 s instead of reading on.
     * Nothing new arrives during a replay, so it waited the 5 s (twice in a million-event replay).
     */
    static final Duration STALLED_READER = Duration.ofMillis(250);

    private final Set<NotifyingStream> streams = new CopyOnWriteArraySet<>();
    private final AtomicBoolean watching = new AtomicBoolean();
    private volatile boolean closed;
    private volatile Thread watcher;
    /** The global position of the newest event the watcher has seen: the head of the store, as far as known. */
    private volatile long head = -1;

    /** The least time between two wake-ups of one stream by new events it handles. */
    private final long wakeUpIntervalNanos;

    protected NotifyingEventStore(Builder builder, Duration wakeUpInterval) {
        super(builder);
        this.wakeUpIntervalNanos = wakeUpInterval.toNanos();
    }

    public static NotifyingEventStore create(EventStorageEngine storageEngine,
                                             MessageMonitor<? super EventMessage<?>> monitor,
                                             EventBusSpanFactory spanFactory, long fetchDelayMillis) {
        return create(storageEngine, monitor, spanFactory, fetchDelayMillis, Duration.ZERO);
    }

    /**
     * @param wakeUpInterval the least time between two wake-ups of a processor by events it handles: the first
     *                       event after a quiet spell wakes it at once; under steady traffic the events of one
     *                       interval wait to be handled as one batch (a transaction and a token update each)
     */
    public static NotifyingEventStore create(EventStorageEngine storageEngine,
                                             MessageMonitor<? super EventMessage<?>> monitor,
                                             EventBusSpanFactory spanFactory, long fetchDelayMillis,
                                             Duration wakeUpInterval) {
        Builder builder = EmbeddedEventStore.builder()
                .storageEngine(new BoundedFetchStorageEngine(storageEngine, MAX_EVENTS_PER_PRODUCER_FETCH))
                .messageMonitor(monitor)
                .fetchDelay(fetchDelayMillis);
        if (spanFactory != null) {
            builder.spanFactory(spanFactory);
        }
        return new NotifyingEventStore(builder, wakeUpInterval);
    }

    @Override
    public org.axonframework.eventhandling.TrackingEventStream openStream(TrackingToken trackingToken) {
        startWatching();
        return new NotifyingStream(trackingToken, super.openStream(trackingToken));
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
            TrackingToken start = createHeadToken();
            head = Math.max(head, position(start));
            try (BlockingStream<TrackedEventMessage<?>> tail = super.openStream(start)) {
                Set<Class<?>> types = new HashSet<>();
                long waitNanos = WATCH_INTERVAL_NANOS;
                while (!closed) {
                    types.clear();
                    if (tail.hasNextAvailable((int) TimeUnit.NANOSECONDS.toMicros(waitNanos), TimeUnit.MICROSECONDS)) {
                        // Bounded, so that steady traffic cannot keep the watcher draining instead of waking readers:
                        // while events kept arriving as fast as it read them, it woke nobody until traffic paused.
                        long drainEnd = System.nanoTime() + MAX_DRAIN_NANOS;
                        while (System.nanoTime() - drainEnd < 0 && tail.hasNextAvailable()) {
                            TrackedEventMessage<?> event = tail.nextAvailable();
                            head = Math.max(head, position(event.trackingToken()));
                            types.add(event.getPayloadType());
                        }
                    }
                    long now = System.nanoTime();
                    long nextDue = now + WATCH_INTERVAL_NANOS;
                    for (NotifyingStream stream : streams) {
                        long due = stream.offer(types, now);
                        if (due - nextDue < 0) {
                            nextDue = due;
                        }
                    }
                    waitNanos = Math.max(MIN_WATCH_NANOS, nextDue - now);
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

    /** How often the watcher looks for quietly waiting streams when no event arrives. */
    private static final long WATCH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(25);
    private static final long MIN_WATCH_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    /** The longest the watcher reads arrived events before it offers them to the readers. */
    private static final long MAX_DRAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    /** The newest global position the watcher has seen; for tests. */
    long head() {
        return head;
    }

    private static long position(TrackingToken token) {
        return token == null ? -1 : token.position().orElse(-1);
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

        private volatile org.axonframework.eventhandling.TrackingEventStream delegate;
        private volatile TrackingToken lastToken;
        private volatile Runnable callback;
        /** Payload types this stream's reader has said it does not handle. */
        private final Set<Class<?>> ignored = ConcurrentHashMap.newKeySet();
        /** Only the watcher thread touches these three. */
        private boolean quietlyWaiting;
        private boolean eventsWaiting;
        private long lastWakeUp = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);
        /** When the reader last took an event ({@link System#nanoTime()}). */
        private volatile long lastRead = System.nanoTime();

        private NotifyingStream(TrackingToken start, org.axonframework.eventhandling.TrackingEventStream delegate) {
            this.lastToken = start;
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
         * Never answers "nothing available" while behind the head the watcher has seen. In replays of a million
         * events, the embedded store's reader now and then answered no far from the head, at once and again when
         * asked twice (it had switched to following the shared cache, which holds only the newest events); Axon's
         * pooled coordinator takes a no as "caught up" and waits five seconds for a notification that no new event
         * sends: the replay stood still. Such a reader is replaced by a new one from the last event it delivered,
         * which reads on from the table. At the head this costs nothing more.
         */
        @Override
        public boolean hasNextAvailable() {
            if (delegate.hasNextAvailable()) {
                return true;
            }
            TrackingToken from = lastToken;
            if (position(from) >= head) {
                return false;
            }
            log.info("An event stream at position {} answered no event while the store's head is at {}; reading on "
                    + "with a new stream", position(from), head);
            org.axonframework.eventhandling.TrackingEventStream stale = delegate;
            delegate = NotifyingEventStore.super.openStream(from);
            stale.close();
            return delegate.hasNextAvailable();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            TrackedEventMessage<?> event = delegate.nextAvailable();
            lastToken = event.trackingToken();
            lastRead = System.nanoTime();
            return event;
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            ignored.add(ignoredMessage.getPayloadType());
            delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            this.callback = callback;
            streams.add(this);
            return true;
        }

        /**
         * Called by the watcher with the payload types of the events that just arrived (maybe none); wakes the
         * reader when it is due.
         *
         * @return when this stream is due to be woken next ({@link System#nanoTime()}), or far in the future
         */
        private long offer(Set<Class<?>> arrived, long now) {
            Runnable wakeUp = callback;
            if (wakeUp == null) {
                return now + TimeUnit.DAYS.toNanos(1);
            }
            if (!arrived.isEmpty()) {
                if (ignored.containsAll(arrived)) {
                    quietlyWaiting = true;
                } else {
                    eventsWaiting = true;
                }
            }
            long due = eventsWaiting ? lastWakeUp + wakeUpIntervalNanos
                    : quietlyWaiting ? lastWakeUp + QUIET_WAKE_UP.toNanos()
                    : now + TimeUnit.DAYS.toNanos(1);
            long stalledAt = Math.max(lastRead, lastWakeUp) + STALLED_READER.toNanos();
            if (stalledAt - due < 0 && position(lastToken) < head) {
                if (now - stalledAt >= 0) {
                    log.debug("A reader at {} has not read for {} while the head is at {}; waking it",
                            position(lastToken), STALLED_READER, head);
                }
                due = stalledAt;
            }
            if (now - due >= 0) {
                wake(wakeUp, now);
                return now + TimeUnit.DAYS.toNanos(1);
            }
            return due;
        }

        private void wake(Runnable wakeUp, long now) {
            quietlyWaiting = false;
            eventsWaiting = false;
            lastWakeUp = now;
            wakeUp.run();
        }

        @Override
        public void close() {
            streams.remove(this);
            delegate.close();
        }
    }
}
