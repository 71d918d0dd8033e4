package org.orderly.config.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.monitoring.NoOpMessageMonitor;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The event store on real PostgreSQL when many events arrive at once, written by another node or a bulk import:
 * readers tailing the head get every one of them in order, while the store's producer reads them in bounded fetches.
 */
class NotifyingEventStoreTest {

    private static EmbeddedPostgres postgres;
    private static JdbcEventStorageEngine engine;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
        engine = JdbcEventStorageEngine.builder()
                .connectionProvider(new UnitOfWorkAwareConnectionProviderWrapper(
                        () -> postgres.getPostgresDatabase().getConnection()))
                .transactionManager(NoTransactionManager.INSTANCE)
                .snapshotSerializer(serializer)
                .eventSerializer(serializer)
                .batchSize(100)
                .build();
        engine.createSchema(PostgresEventTableFactory.INSTANCE);
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @Test
    void theProducersFetchesEndAfterTheBoundWhileReadersSeeEveryEvent() {
        String aggregate = appendEvents(2_500);
        EventStorageEngine bounded = new BoundedFetchStorageEngine(engine, 1_000);

        try (var producerFetch = bounded.readEvents(null, true); var readerFetch = bounded.readEvents(null, false)) {
            assertThat(producerFetch.count()).isEqualTo(1_000);
            assertThat(readerFetch.filter(e -> aggregate.equals(aggregateOf(e))).count()).isEqualTo(2_500);
        }
    }

    @Test
    void aReaderTailingTheHeadGetsEveryEventOfABulkImportInOrder() throws Exception {
        appendEvents(1);
        NotifyingEventStore store = NotifyingEventStore.create(engine, NoOpMessageMonitor.INSTANCE, null, 50);
        try (TrackingEventStream stream = store.openStream(store.createHeadToken())) {
            // Written straight to the storage engine, as another node or an import would: the store finds them by polling.
            int count = 3 * NotifyingEventStore.MAX_EVENTS_PER_PRODUCER_FETCH + 500;
            String aggregate = appendEvents(count);

            List<Long> sequences = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (sequences.size() < count && System.nanoTime() < deadline) {
                if (stream.hasNextAvailable(1, TimeUnit.SECONDS)) {
                    TrackedEventMessage<?> event = stream.nextAvailable();
                    if (aggregate.equals(aggregateOf(event))) {
                        sequences.add(((DomainEventMessage<?>) event).getSequenceNumber());
                    }
                }
            }
            assertThat(sequences).containsExactlyElementsOf(
                    IntStream.range(0, count).mapToObj(Long::valueOf).toList());
        } finally {
            store.shutDown();
        }
    }

    @Test
    void aReaderThatStopsFarFromTheHeadIsReplacedInsteadOfReportingNothing() throws Exception {
        appendEvents(1);
        // The reader's first stream of its own ends early, as the embedded store's reader once did mid-replay.
        java.util.concurrent.atomic.AtomicBoolean cut = new java.util.concurrent.atomic.AtomicBoolean();
        EventStorageEngine endingEarly = new EndingEarlyEngine(engine, cut);
        NotifyingEventStore store = NotifyingEventStore.create(endingEarly, NoOpMessageMonitor.INSTANCE, null, 50);
        try (TrackingEventStream watching = store.openStream(store.createHeadToken())) {
            TrackingToken before = store.createHeadToken();
            String aggregate = appendEvents(3_000);
            long head = before.position().orElseThrow() + 3_000;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (store.head() < head && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(store.head()).as("the watcher saw the new head").isGreaterThanOrEqualTo(head);

            cut.set(true);
            try (TrackingEventStream stream = store.openStream(before)) {
                int read = 0;
                while (read < 3_000) {
                    assertThat(stream.hasNextAvailable()).as("events available after %d of 3,000", read).isTrue();
                    TrackedEventMessage<?> event = stream.nextAvailable();
                    if (aggregate.equals(aggregateOf(event))) {
                        assertThat(((DomainEventMessage<?>) event).getSequenceNumber()).isEqualTo(read);
                        read++;
                    }
                }
            }
        } finally {
            store.shutDown();
        }
    }

    @Test
    void aReaderIgnoringTheNewEventsIsWokenSeldomButStillWoken() throws Exception {
        appendEvents(1);
        NotifyingEventStore store = NotifyingEventStore.create(engine, NoOpMessageMonitor.INSTANCE, null, 50);
        try (TrackingEventStream interested = store.openStream(store.createHeadToken());
             TrackingEventStream ignoring = store.openStream(store.createHeadToken())) {
            java.util.concurrent.atomic.AtomicInteger interestedWakeUps = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger ignoringWakeUps = new java.util.concurrent.atomic.AtomicInteger();
            interested.setOnAvailableCallback(interestedWakeUps::incrementAndGet);
            ignoring.setOnAvailableCallback(ignoringWakeUps::incrementAndGet);
            // What a processor without a handler for String payloads tells its stream.
            ignoring.skipMessagesWithPayloadTypeOf(new org.axonframework.eventhandling.GenericTrackedEventMessage<>(
                    new org.axonframework.eventhandling.GlobalSequenceTrackingToken(0),
                    org.axonframework.eventhandling.GenericEventMessage.asEventMessage("ignored")));

            String aggregate = java.util.UUID.randomUUID().toString();
            long started = System.nanoTime();
            for (int i = 0; i < 40; i++) {
                store.publish(new GenericDomainEventMessage<>("Bench", aggregate, i, "event " + i));
                Thread.sleep(10);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (ignoringWakeUps.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            int seldom = ignoringWakeUps.get();
            int often = interestedWakeUps.get();
            // Each publish commits (a WAL flush), so how long the 40 take depends on the disk: judged per 100 ms.
            long quietIntervals = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) / 100 + 1;
            assertThat(often).as("wake-ups of the interested reader").isGreaterThanOrEqualTo(10);
            assertThat(seldom).as("wake-ups of the reader ignoring every new event, against %d, over %d intervals of "
                    + "100 ms", often, quietIntervals).isBetween(1, (int) Math.min(quietIntervals, often - 1));
        } finally {
            store.shutDown();
        }
    }

    @Test
    void underSteadyTrafficAReaderIsWokenOncePerIntervalNotPerEvent() throws Exception {
        appendEvents(1);
        NotifyingEventStore store = NotifyingEventStore.create(engine, NoOpMessageMonitor.INSTANCE, null, 50,
                java.time.Duration.ofMillis(100));
        try (TrackingEventStream stream = store.openStream(store.createHeadToken())) {
            java.util.concurrent.atomic.AtomicInteger wakeUps = new java.util.concurrent.atomic.AtomicInteger();
            stream.setOnAvailableCallback(wakeUps::incrementAndGet);

            String aggregate = java.util.UUID.randomUUID().toString();
            long started = System.nanoTime();
            for (int i = 0; i < 40; i++) {
                store.publish(new GenericDomainEventMessage<>("Bench", aggregate, i, "event " + i));
                Thread.sleep(10);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            int read = 0;
            while (read < 40 && System.nanoTime() < deadline) {
                if (stream.hasNextAvailable(100, TimeUnit.MILLISECONDS)
                        && aggregate.equals(aggregateOf(stream.nextAvailable()))) {
                    read++;
                }
            }
            long intervals = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) / 100 + 1;

            assertThat(read).as("every event is still delivered").isEqualTo(40);
            assertThat(wakeUps.get()).as("wake-ups for 40 events over %d intervals of 100 ms", intervals)
                    .isBetween(2, (int) intervals + 1);
        } finally {
            store.shutDown();
        }
    }

    @Test
    void aReaderThatStopsReadingBehindTheHeadIsWokenThoughNothingArrives() throws Exception {
        appendEvents(1);
        NotifyingEventStore store = NotifyingEventStore.create(engine, NoOpMessageMonitor.INSTANCE, null, 50);
        try (TrackingEventStream watching = store.openStream(store.createHeadToken())) {
            TrackingToken before = store.createHeadToken();
            appendEvents(2_000);
            // The store's own head, not before + 2,000: global indexes may skip numbers.
            long head = store.createHeadToken().position().orElseThrow();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (store.head() < head && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(store.head()).as("the watcher saw the new head").isGreaterThanOrEqualTo(head);
            // Arrivals wake every reader; let the watcher offer the last of them before the readers open.
            Thread.sleep(300);

            try (TrackingEventStream behind = store.openStream(before);
                 TrackingEventStream atHead = store.openStream(store.createHeadToken())) {
                java.util.concurrent.atomic.AtomicInteger behindWakeUps = new java.util.concurrent.atomic.AtomicInteger();
                java.util.concurrent.atomic.AtomicInteger atHeadWakeUps = new java.util.concurrent.atomic.AtomicInteger();
                behind.setOnAvailableCallback(behindWakeUps::incrementAndGet);
                atHead.setOnAvailableCallback(atHeadWakeUps::incrementAndGet);
                // A coordinator that read some events and then waits for a callback that no new event will trigger.
                for (int i = 0; i < 100; i++) {
                    assertThat(behind.hasNextAvailable()).isTrue();
                    behind.nextAvailable();
                }

                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (behindWakeUps.get() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }

                assertThat(behindWakeUps.get()).as("wake-ups of the reader stopped 1,900 events behind the head")
                        .isPositive();
                assertThat(atHeadWakeUps.get()).as("wake-ups of the reader at the head, with nothing new").isZero();
            }
        } finally {
            store.shutDown();
        }
    }

    /** Its first private (non-blocking) read ends after 100 events once {@code cut} is set. */
    private static final class EndingEarlyEngine extends DelegatingStorageEngine {
        private final java.util.concurrent.atomic.AtomicBoolean cut;
        private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();

        EndingEarlyEngine(EventStorageEngine delegate, java.util.concurrent.atomic.AtomicBoolean cut) {
            super(delegate);
            this.cut = cut;
        }

        @Override
        public java.util.stream.Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken token, boolean mayBlock) {
            var events = delegate.readEvents(token, mayBlock);
            return !mayBlock && cut.get() && done.compareAndSet(false, true) ? events.limit(100) : events;
        }
    }

    private static String appendEvents(int count) {
        String aggregate = java.util.UUID.randomUUID().toString();
        for (int from = 0; from < count; from += 500) {
            engine.appendEvents(IntStream.range(from, Math.min(count, from + 500))
                    .mapToObj(i -> new GenericDomainEventMessage<>("Bench", aggregate, i, "event " + i))
                    .toList());
        }
        return aggregate;
    }

    private static String aggregateOf(TrackedEventMessage<?> event) {
        return event instanceof DomainEventMessage<?> domain
                ? domain.getAggregateIdentifier() : null;
    }
}
