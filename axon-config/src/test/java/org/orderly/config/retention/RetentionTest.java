package org.orderly.config.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.config.OrderlyHealth;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;

/** The retention runner and its batched delete, on a real PostgreSQL. */
class RetentionTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static EmbeddedPostgres postgres;
    private static JdbcTemplate jdbc;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<Retention> opened = new ArrayList<>();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void freshTables() {
        jdbc.execute("DROP TABLE IF EXISTS expiring, deleting_transactions");
        jdbc.execute("CREATE TABLE expiring (id BIGSERIAL PRIMARY KEY, done_at TIMESTAMPTZ NOT NULL)");
        // one row per DELETE statement, with its transaction: shows how the backlog was cut
        jdbc.execute("CREATE TABLE deleting_transactions (tx BIGINT NOT NULL)");
        jdbc.execute("""
                CREATE OR REPLACE FUNCTION note_delete() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO deleting_transactions VALUES (txid_current()); RETURN NULL; END $$""");
        jdbc.execute("""
                CREATE TRIGGER expiring_deleted AFTER DELETE ON expiring
                   FOR EACH STATEMENT EXECUTE FUNCTION note_delete()""");
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        opened.forEach(Retention::close);
    }

    @Test
    void aBacklogLargerThanABatchIsRemovedInTransactionsOfOneBatchEachAndRecentRowsStay() {
        insert(2_500, NOW.minus(Duration.ofDays(100)));
        insert(10, NOW.minus(Duration.ofDays(10)));
        Retention retention = retention(properties(1_000), expiringTask(Optional.of(Duration.ofDays(90))));

        runAndAwait(retention);

        Retention.KindStatus kind = retention.status().kinds().get(0);
        assertThat(kind.removedLastRun()).isEqualTo(2_500);
        assertThat(kind.lastError()).isNull();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM expiring", Long.class)).isEqualTo(10);
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT tx) FROM deleting_transactions", Long.class))
                .as("transactions that deleted rows: 1000, 1000, 500").isEqualTo(3);
    }

    @Test
    void theCutoffIsThePeriodBeforeNowOnTheClockAndAKindWithoutAPeriodIsNeverRun() {
        List<Instant> cutoffs = new ArrayList<>();
        AtomicBoolean offRan = new AtomicBoolean();
        Retention retention = retention(properties(10),
                RetentionTask.of("timed", Optional.of(Duration.ofDays(30)), (cutoff, batch) -> {
                    cutoffs.add(cutoff);
                    return 0;
                }),
                RetentionTask.of("off", Optional.empty(), (cutoff, batch) -> {
                    offRan.set(true);
                    return 0;
                }));

        runAndAwait(retention);

        assertThat(cutoffs).containsExactly(NOW.minus(Duration.ofDays(30)));
        assertThat(offRan).isFalse();
        Retention.KindStatus off = retention.status().kinds().get(0);
        assertThat(off.kind()).isEqualTo("off");
        assertThat(off.period()).isNull();
        assertThat(off.lastRunAt()).isNull();
        assertThat(retention.status().kinds().get(1).period()).isEqualTo("P30D");
    }

    @Test
    void aKindThatFailsIsReportedWithWhatItRemovedDegradesHealthAndTheOthersStillRunUntilItSucceedsAgain() {
        insert(5, NOW.minus(Duration.ofDays(100)));
        AtomicBoolean broken = new AtomicBoolean(true);
        Retention retention = retention(properties(100),
                RetentionTask.of("broken", Optional.of(Duration.ofDays(1)), (cutoff, batch) -> {
                    if (broken.get()) {
                        throw new RetentionFailure("the store refused", new IllegalStateException(), 7);
                    }
                    return 1;
                }),
                expiringTask(Optional.of(Duration.ofDays(90))));

        RetentionHealth health = new RetentionHealth(retention);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        runAndAwait(retention);

        Map<String, Retention.KindStatus> kinds = byKind(retention);
        assertThat(health.health().getStatus()).isEqualTo(OrderlyHealth.DEGRADED);
        assertThat(health.health().getDetails().get("failing").toString()).contains("broken", "the store refused");
        assertThat(kinds.get("broken").lastError()).contains("the store refused");
        assertThat(kinds.get("broken").removedLastRun()).isEqualTo(7);
        assertThat(kinds.get("expiring").removedLastRun()).isEqualTo(5);
        assertThat(retention.failing()).containsOnlyKeys("broken");
        assertThat(meters.get("orderly.retention.failing").tag("kind", "broken").gauge().value()).isEqualTo(1);
        assertThat(meters.get("orderly.retention.removed").tag("kind", "expiring").counter().count()).isEqualTo(5);
        assertThat(meters.get("orderly.retention.removed").tag("kind", "broken").counter().count()).isEqualTo(7);
        assertThat(meters.get("orderly.retention.last.run").tag("kind", "expiring").gauge().value())
                .isEqualTo(NOW.getEpochSecond());
        assertThat(meters.get("orderly.retention.duration").tag("kind", "expiring").timer().count()).isEqualTo(1);

        broken.set(false);
        runAndAwait(retention);

        kinds = byKind(retention);
        assertThat(kinds.get("broken").lastError()).isNull();
        assertThat(kinds.get("broken").removedTotal()).isEqualTo(8);
        assertThat(kinds.get("expiring").removedLastRun()).isZero();
        assertThat(kinds.get("expiring").removedTotal()).isEqualTo(5);
        assertThat(retention.failing()).isEmpty();
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(meters.get("orderly.retention.failing").tag("kind", "broken").gauge().value()).isZero();
    }

    @Test
    void aRunAskedForWhileOneRunsIsQueuedOnceBehindIt() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Long> runs = new ArrayList<>();
        Retention retention = retention(properties(10),
                RetentionTask.of("slow", Optional.of(Duration.ofDays(1)), (cutoff, batch) -> {
                    entered.countDown();
                    try {
                        release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    synchronized (runs) {
                        runs.add(1L);
                    }
                    return 0;
                }));

        long first = retention.start();
        assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(retention.status().running()).isTrue();
        long second = retention.start();
        long third = retention.start();
        release.countDown();

        assertThat(second).isEqualTo(first + 1);
        assertThat(third).as("already queued").isEqualTo(second);
        awaitRun(retention, second);
        assertThat(runs).hasSize(2);
        assertThat(retention.status().running()).isFalse();
    }

    @Test
    void periodsDefaultAsDocumentedAndAZeroOneKeepsItsKindForEver() {
        RetentionProperties defaults = bind(Map.of());
        assertThat(defaults.sentNotificationsPeriod()).contains(Duration.ofDays(90));
        assertThat(defaults.finishedWorkflowsPeriod()).contains(Duration.ofDays(180));
        assertThat(defaults.deactivatedCustomersPeriod()).as("off by default").isEmpty();

        RetentionProperties set = bind(Map.of("orderly.retention.erase-deactivated-customers-after", "P30D",
                "orderly.retention.sent-notifications", "0"));
        assertThat(set.deactivatedCustomersPeriod()).contains(Duration.ofDays(30));
        assertThat(set.sentNotificationsPeriod()).isEmpty();
    }

    private static RetentionProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("orderly.retention", RetentionProperties.class);
    }

    private static Map<String, Retention.KindStatus> byKind(Retention retention) {
        Map<String, Retention.KindStatus> kinds = new java.util.HashMap<>();
        retention.status().kinds().forEach(kind -> kinds.put(kind.kind(), kind));
        return kinds;
    }

    private static RetentionTask expiringTask(Optional<Duration> period) {
        return RetentionTask.of("expiring", period, (cutoff, batchSize) -> BatchedDelete.run(jdbc, """
                DELETE FROM expiring WHERE ctid = ANY (ARRAY(SELECT ctid FROM expiring WHERE done_at < ? LIMIT ?))
                """, batchSize, Timestamp.from(cutoff)));
    }

    private static void insert(int rows, Instant doneAt) {
        jdbc.update("INSERT INTO expiring (done_at) SELECT ? FROM generate_series(1, ?)", Timestamp.from(doneAt), rows);
    }

    private static RetentionProperties properties(int batchSize) {
        return new RetentionProperties(Duration.ofHours(1), Duration.ofMinutes(5), batchSize, Duration.ofDays(90),
                Duration.ofDays(180), Duration.ofDays(30), Duration.ofDays(365), null);
    }

    private Retention retention(RetentionProperties properties, RetentionTask... tasks) {
        Retention retention = new Retention(List.of(tasks), properties, meters, Clock.fixed(NOW, ZoneOffset.UTC));
        opened.add(retention);
        return retention;
    }

    private static void runAndAwait(Retention retention) {
        awaitRun(retention, retention.start());
    }

    private static void awaitRun(Retention retention, long run) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (retention.status().lastFinishedRun() < run) {
            assertThat(System.nanoTime()).as("run " + run + " ended in time").isLessThan(deadline);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
