package org.orderly.config.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

/** Events read with their time parsed once look exactly as Axon's own engine reads them. */
class ParsedTimestampJdbcEventStorageEngineTest {

    @Test
    void timeStampsParseAsAxonParsesThem() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            Instant instant = Instant.ofEpochMilli(random.nextLong(0, 4_102_444_800_000L)); // up to 2100
            String text = DateTimeUtils.formatInstant(instant);
            assertThat(ParsedTimestampJdbcEventStorageEngine.parse(text)).as(text).isEqualTo(DateTimeUtils.parseInstant(text));
        }
        for (String other : List.of("2024-02-29T23:59:59.999Z", "2026-11-22T10:15:30Z", "2026-11-22T10:15:30.123456789Z",
                "2026-11-22T10:15:30.1Z", "2026-11-22T11:15:30.123+01:00")) {
            assertThat(ParsedTimestampJdbcEventStorageEngine.parse(other)).as(other).isEqualTo(DateTimeUtils.parseInstant(other));
        }
    }

    @Test
    void trackedEventsHaveTheTimesTokensAndContentAxonsEngineReads() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
            JdbcEventStorageEngine axons = engine(JdbcEventStorageEngine.builder(), postgres, serializer);
            axons.createSchema(PostgresEventTableFactory.INSTANCE);
            JdbcEventStorageEngine parsedOnce = new ParsedTimestampJdbcEventStorageEngine(
                    JdbcEventStorageEngine.builder()
                            .connectionProvider(new UnitOfWorkAwareConnectionProviderWrapper(
                                    () -> postgres.getPostgresDatabase().getConnection()))
                            .transactionManager(NoTransactionManager.INSTANCE)
                            .snapshotSerializer(serializer).eventSerializer(serializer).batchSize(50));
            Instant recent = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Instant old = recent.minus(2, ChronoUnit.HOURS); // beyond the gap timeout: no gaps kept
            axons.appendEvents(IntStream.range(0, 120).mapToObj(i -> new GenericDomainEventMessage<>("Thing", "thing-1", i,
                    "event " + i, MetaData.with("traceId", "t-" + i), java.util.UUID.randomUUID().toString(),
                    (i < 60 ? old : recent).plusMillis(i))).toList());
            // Two holes in the global index: one among old events (no gap kept), one among recent ones (kept).
            try (var connection = postgres.getPostgresDatabase().getConnection(); var statement = connection.createStatement()) {
                assertThat(statement.executeUpdate("DELETE FROM domainevententry WHERE globalindex IN (30, 90)")).isEqualTo(2);
            }

            List<? extends TrackedEventMessage<?>> expected;
            List<? extends TrackedEventMessage<?>> actual;
            try (var a = axons.readEvents(null, false); var b = parsedOnce.readEvents(null, false)) {
                expected = a.toList();
                actual = b.toList();
            }
            assertThat(actual).hasSize(118);
            for (int i = 0; i < expected.size(); i++) {
                assertThat(actual.get(i).trackingToken()).isEqualTo(expected.get(i).trackingToken());
                assertThat(actual.get(i).getTimestamp()).isEqualTo(expected.get(i).getTimestamp());
                assertThat(actual.get(i).getIdentifier()).isEqualTo(expected.get(i).getIdentifier());
                assertThat(actual.get(i).getPayload()).isEqualTo(expected.get(i).getPayload());
                assertThat(actual.get(i).getMetaData()).isEqualTo(expected.get(i).getMetaData());
            }
        }
    }

    private static JdbcEventStorageEngine engine(JdbcEventStorageEngine.Builder builder, EmbeddedPostgres postgres,
                                                 JacksonSerializer serializer) {
        return builder.connectionProvider(new UnitOfWorkAwareConnectionProviderWrapper(
                        () -> postgres.getPostgresDatabase().getConnection()))
                .transactionManager(NoTransactionManager.INSTANCE)
                .snapshotSerializer(serializer).eventSerializer(serializer).batchSize(50)
                .build();
    }
}
