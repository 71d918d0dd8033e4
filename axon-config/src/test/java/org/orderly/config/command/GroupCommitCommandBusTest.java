package org.orderly.config.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.callbacks.FutureCallback;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The group-commit bus over a real PostgreSQL: commands that arrive together share a transaction, each sender is
 * answered only once its write is committed, and a failing command fails alone.
 */
class GroupCommitCommandBusTest {

    private static EmbeddedPostgres postgres;
    private static JdbcTemplate jdbc;
    private static TransactionManager transactions;

    private SimpleMeterRegistry meters;
    private GroupCommitCommandBus bus;
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Thread handledOn;

    /** A command writing one row; {@code parent} must exist by commit time; {@code explode} throws after writing. */
    record Write(String id, String parent, boolean explode) {

        static Write of(String id) {
            return new Write(id, null, false);
        }
    }

    /** A command that stays in flight until {@link #released}: the commands sent meanwhile queue for a batch. */
    record Hold() {
    }

    /** What a sender saw: its answer, and whether its row was committed (visible elsewhere) when it got it. */
    record Answer(String id, boolean failed, boolean committedWhenAnswered) {
    }

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        DataSource dataSource = postgres.getPostgresDatabase();
        jdbc = new JdbcTemplate(dataSource);
        transactions = new SpringTransactionManager(new DataSourceTransactionManager(dataSource));
        jdbc.execute("CREATE TABLE parent (id text PRIMARY KEY)");
        // checked at COMMIT: a command referring to a missing parent has its batch's commit fail
        jdbc.execute("CREATE TABLE written (id text PRIMARY KEY, parent text REFERENCES parent (id) "
                + "DEFERRABLE INITIALLY DEFERRED)");
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void newBus() {
        jdbc.execute("TRUNCATE written");
        meters = new SimpleMeterRegistry();
        // a long wait, so that the commands sent together surely meet in one batch
        bus = new GroupCommitCommandBus(SimpleCommandBus.builder(), transactions, 64, Duration.ofMillis(300), meters);
        bus.subscribe(Hold.class.getName(), message -> {
            held.countDown();
            return released.await(30, java.util.concurrent.TimeUnit.SECONDS);
        });
        bus.subscribe(Write.class.getName(), message -> {
            handledOn = Thread.currentThread();
            Write write = (Write) message.getPayload();
            jdbc.update("INSERT INTO written (id, parent) VALUES (?, ?)", write.id(), write.parent());
            if (write.explode()) {
                throw new IllegalStateException("the handler of " + write.id() + " fails");
            }
            return write.id();
        });
    }

    @AfterEach
    void stopBus() {
        bus.shutdown();
    }

    @Test
    void commandsSentTogetherShareOneTransactionAndEachSenderIsAnsweredAfterItsCommit() throws Exception {
        List<Write> writes = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            writes.add(Write.of("w" + i));
        }

        List<Answer> answers = sendTogether(writes);

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.failed()).as(answer.id()).isFalse();
            assertThat(answer.committedWhenAnswered()).as(answer.id()).isTrue();
        });
        assertThat(rows()).isEqualTo(16);
        assertThat(committedBatches()).isGreaterThanOrEqualTo(1);
        assertThat(meters.get(GroupCommitCommandBus.METER + ".batch.size").summary().max()).isGreaterThan(1);
    }

    @Test
    void aCommandWhoseHandlerThrowsFailsAloneAndItsNeighboursAreCommitted() throws Exception {
        List<Write> writes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            writes.add(new Write("w" + i, null, i == 5));
        }

        List<Answer> answers = sendTogether(writes);

        assertThat(answers).filteredOn(a -> !a.id().equals("w5")).allSatisfy(answer -> {
            assertThat(answer.failed()).as(answer.id()).isFalse();
            assertThat(answer.committedWhenAnswered()).as(answer.id()).isTrue();
        });
        assertThat(answers).filteredOn(a -> a.id().equals("w5")).singleElement()
                .satisfies(answer -> assertThat(answer.failed()).isTrue());
        assertThat(rows()).isEqualTo(11);
        assertThat(exists("w5")).isFalse();
        assertThat(meters.get(GroupCommitCommandBus.METER + ".batches").tag("outcome", "rolled_back").counter()
                .count()).isGreaterThanOrEqualTo(1);
        assertThat(committedBatches()).as("the others, batched again without it").isGreaterThanOrEqualTo(1);
    }

    @Test
    void aCommandWhoseStatementFailsDoesNotFailItsNeighboursInTheAbortedTransaction() throws Exception {
        jdbc.update("INSERT INTO written (id) VALUES ('taken')");
        List<Write> writes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            writes.add(Write.of(i == 3 ? "taken" : "w" + i));
        }

        List<Answer> answers = sendTogether(writes);

        assertThat(answers).filteredOn(a -> !a.id().equals("taken"))
                .allSatisfy(answer -> assertThat(answer.failed()).as(answer.id()).isFalse());
        assertThat(answers).filteredOn(a -> a.id().equals("taken")).singleElement()
                .satisfies(answer -> assertThat(answer.failed()).isTrue());
        assertThat(rows()).isEqualTo(12);
    }

    @Test
    void whenTheSharedCommitFailsNoSenderOfTheBatchIsToldItsWriteSucceeded() throws Exception {
        List<Write> writes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            // every statement passes; PostgreSQL refuses the dangling reference only at COMMIT
            writes.add(new Write("w" + i, i == 2 ? "no-such-parent" : null, false));
        }

        List<Answer> answers = sendTogether(writes);

        assertThat(answers).allSatisfy(answer -> assertThat(answer.failed()).as(answer.id()).isTrue());
        assertThat(rows()).isZero();
        assertThat(meters.get(GroupCommitCommandBus.METER + ".batches").tag("outcome", "commit_failed").counter()
                .count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aCommandSentWhileNoOtherIsInFlightRunsAtOnceOnItsSendersThreadWithoutWaitingForABatch() {
        FutureCallback<Object, Object> callback = new FutureCallback<>();
        bus.dispatch(GenericCommandMessage.asCommandMessage(Write.of("alone")), callback);

        assertThat(callback.getResult().getPayload()).isEqualTo("alone");
        assertThat(handledOn).isSameAs(Thread.currentThread());
        assertThat(exists("alone")).isTrue();
        assertThat(meters.get(GroupCommitCommandBus.METER + ".queued").counter().count())
                .as("never queued for the committer, which would have waited for others to join it").isZero();
        assertThat(committedBatches()).isZero();
        assertThat(bus.inFlight()).isZero();
    }

    /**
     * Sends {@code writes} at once while a {@link Hold} is in flight, so that every one of them is queued for the
     * committer, as under load; the hold ends once all of them are in flight.
     */
    private List<Answer> sendTogether(List<Write> writes) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(writes.size() + 1);
        CountDownLatch ready = new CountDownLatch(writes.size());
        try {
            Future<?> hold = senders.submit(() -> bus.dispatch(GenericCommandMessage.asCommandMessage(new Hold()),
                    new FutureCallback<>()));
            assertThat(held.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            List<Future<Answer>> answers = new ArrayList<>();
            for (Write write : writes) {
                answers.add(senders.submit(() -> {
                    ready.countDown();
                    ready.await();
                    return send(write);
                }));
            }
            while (bus.inFlight() < writes.size() + 1) {
                Thread.onSpinWait();
            }
            released.countDown();
            hold.get();
            List<Answer> result = new ArrayList<>();
            for (Future<Answer> answer : answers) {
                result.add(answer.get());
            }
            assertThat(meters.get(GroupCommitCommandBus.METER + ".queued").counter().count())
                    .isEqualTo(writes.size());
            return result;
        } finally {
            senders.shutdownNow();
        }
    }

    private Answer send(Write write) {
        FutureCallback<Write, Object> callback = new FutureCallback<>();
        CommandMessage<Write> command = GenericCommandMessage.asCommandMessage(write);
        bus.dispatch(command, callback);
        CommandResultMessage<?> result = callback.getResult();
        // looked at from another connection the moment the sender has its answer
        return new Answer(write.id(), result.isExceptional(), exists(write.id()));
    }

    private static boolean exists(String id) {
        return jdbc.queryForObject("SELECT count(*) FROM written WHERE id = ?", Integer.class, id) == 1;
    }

    private static int rows() {
        return jdbc.queryForObject("SELECT count(*) FROM written", Integer.class);
    }

    private double committedBatches() {
        return meters.get(GroupCommitCommandBus.METER + ".batches").tag("outcome", "committed").counter().count();
    }
}
