package org.orderly.config.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** The storage engine tells a capture the global index of the last event appended on its thread, once committed. */
class AppendedPositionsTest {

    private static EmbeddedPostgres postgres;
    private static JdbcEventStorageEngine engine;
    private static TransactionManager transactions;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        DataSource dataSource = postgres.getPostgresDatabase();
        jdbc = new JdbcTemplate(dataSource);
        transactions = new SpringTransactionManager(new DataSourceTransactionManager(dataSource));
        JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
        SpringDataSourceConnectionProvider connections = new SpringDataSourceConnectionProvider(dataSource);
        engine = new ParsedTimestampJdbcEventStorageEngine(JdbcEventStorageEngine.builder()
                .connectionProvider(() -> counting(connections.getConnection()))
                .transactionManager(transactions)
                .snapshotSerializer(serializer).eventSerializer(serializer),
                ParsedTimestampJdbcEventStorageEngine.GAP_TIMEOUT_MILLIS,
                ParsedTimestampJdbcEventStorageEngine.MAX_GAP_OFFSET, List.of(),
                List.of(events -> APPENDING.add(events.stream().map(e -> (String) e.getPayload()).toList())));
        engine.createSchema(PostgresEventTableFactory.INSTANCE);
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    void aCaptureLearnsTheIndexOfTheLastEventItsThreadAppendedOnceItsUnitOfWorkCommits() {
        String aggregate = UUID.randomUUID().toString();
        try (AppendedPositions.Capture capture = AppendedPositions.capture()) {
            DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
            unitOfWork.attachTransaction(transactions);
            unitOfWork.onPrepareCommit(u -> engine.appendEvents(events(aggregate, 0, 3)));
            // another connection appends meanwhile: its index is not this thread's
            unitOfWork.onPrepareCommit(u -> appendElsewhere());
            unitOfWork.commit();

            assertThat(capture.last()).hasValue(lastIndexOf(aggregate));
        }
    }

    @Test
    void aRolledBackAppendIsNotCaptured() {
        try (AppendedPositions.Capture capture = AppendedPositions.capture()) {
            DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
            unitOfWork.attachTransaction(transactions);
            engine.appendEvents(events(UUID.randomUUID().toString(), 0, 2));
            unitOfWork.rollback();

            assertThat(capture.last()).isEqualTo(OptionalLong.empty());
        }
    }

    @Test
    void anAppendDoneForSeveralSendersAtOnceReachesEachOfTheirCapturesOnceCommitted() throws Exception {
        String aggregate = UUID.randomUUID().toString();
        AppendedPositions.Capture[] senders = new AppendedPositions.Capture[2];
        for (int i = 0; i < senders.length; i++) {
            // each sender opens its capture on its own thread, as a request does
            int sender = i;
            Thread thread = new Thread(() -> senders[sender] = AppendedPositions.capture());
            thread.start();
            thread.join();
        }
        AppendedPositions.Capture replaced =
                AppendedPositions.reportTo(AppendedPositions.sharedBy(java.util.Arrays.asList(senders[0], null, senders[1])));
        try {
            DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
            unitOfWork.attachTransaction(transactions);
            engine.appendEvents(events(aggregate, 0, 2));
            assertThat(senders[0].last()).as("not before the commit").isEmpty();
            unitOfWork.commit();
        } finally {
            AppendedPositions.reportTo(replaced);
        }

        assertThat(senders[0].last()).hasValue(lastIndexOf(aggregate));
        assertThat(senders[1].last()).hasValue(lastIndexOf(aggregate));
        assertThat(AppendedPositions.sharedBy(java.util.Arrays.asList(null, null))).isNull();
    }

    @Test
    void withoutACaptureAnAppendAsksNothingMore() {
        String aggregate = UUID.randomUUID().toString();
        engine.appendEvents(events(aggregate, 0, 1));
        try (AppendedPositions.Capture capture = AppendedPositions.capture()) {
            assertThat(capture.last()).isEmpty();
        }
        assertThat(AppendedPositions.current()).isNull();
    }

    @Test
    void theIndexComesBackWithTheInsertItselfWithNoFurtherStatement() {
        String aggregate = UUID.randomUUID().toString();
        try (AppendedPositions.Capture capture = AppendedPositions.capture()) {
            DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
            unitOfWork.attachTransaction(transactions);
            long before = PREPARED.get();
            engine.appendEvents(events(aggregate, 0, 2));
            long prepared = PREPARED.get() - before;
            unitOfWork.commit();

            assertThat(prepared).as("statements prepared for one captured append").isEqualTo(1);
            assertThat(capture.last()).hasValue(lastIndexOf(aggregate));
        }
    }

    @Test
    void aCapturedAppendThatBreaksTheAggregatesSequenceFailsAsAnyAppendDoes() {
        String aggregate = UUID.randomUUID().toString();
        engine.appendEvents(events(aggregate, 0, 1));
        Throwable uncaptured = catchThrowable(() -> engine.appendEvents(events(aggregate, 0, 1)));
        try (AppendedPositions.Capture capture = AppendedPositions.capture()) {
            Throwable captured = catchThrowable(() -> engine.appendEvents(events(aggregate, 0, 1)));

            assertThat(uncaptured).isNotNull();
            assertThat(captured).hasSameClassAs(uncaptured).hasMessageContaining("Cannot reuse aggregate identifier");
            assertThat(capture.last()).isEmpty();
        }
    }

    @Test
    void theAppendingListenersSeeAllEventsOfAnAppendAtOnceBeforeTheyAreStored() {
        String aggregate = UUID.randomUUID().toString();
        APPENDING.clear();

        engine.appendEvents(events(aggregate, 0, 3));

        assertThat(APPENDING).containsExactly(List.of("event 0", "event 1", "event 2"));
    }

    /** What the appending listener saw, one list per append. */
    private static final List<List<String>> APPENDING = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Counts the statements prepared on the engine's connections, to show what learning the index adds. */
    private static final AtomicLong PREPARED = new AtomicLong();

    private static Connection counting(Connection connection) {
        return (Connection) Proxy.newProxyInstance(AppendedPositionsTest.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().startsWith("prepare")) {
                        PREPARED.incrementAndGet();
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static void appendElsewhere() {
        Thread other = new Thread(() -> engine.appendEvents(events(UUID.randomUUID().toString(), 0, 2)));
        other.start();
        try {
            other.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long lastIndexOf(String aggregate) {
        return jdbc.queryForObject("SELECT max(globalindex) FROM domainevententry WHERE aggregateidentifier = ?",
                Long.class, aggregate);
    }

    private static List<? extends EventMessage<?>> events(String aggregate, int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> new GenericDomainEventMessage<>("Thing", aggregate, i,
                "event " + i)).toList();
    }
}
