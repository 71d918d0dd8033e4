package org.orderly.config.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.junit.jupiter.api.Test;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;

/**
 * Axon's own command bus and gateway with the {@link ConflictRetryScheduler}, and a handler that loses conflicts as
 * the event store makes it lose them on a busy aggregate: which failures are sent again, how often, and where.
 */
class ConflictRetrySchedulerTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SimpleCommandBus bus = SimpleCommandBus.builder().build();
    private final AtomicInteger attempts = new AtomicInteger();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    @Test
    void aCommandThatLosesAConflictIsSentAgainAndAnswersWhatItsRetryDecided() {
        handle(attempt -> {
            if (attempt < 3) {
                throw new ConcurrencyException("An event for aggregate [x] at sequence [7] was already inserted");
            }
            return "decided on attempt " + attempt;
        });

        Object answer = gateway(8).sendAndWait("reserve");

        assertThat(answer).isEqualTo("decided on attempt 3");
        assertThat(threads).as("every attempt on the sender's thread, which carries its caller")
                .containsOnly(Thread.currentThread()).hasSize(3);
        assertThat(count("conflicted")).isEqualTo(1);
        assertThat(count("retried")).isEqualTo(2);
        assertThat(count("refused")).isZero();
    }

    @Test
    void aCommandStillLosingAfterItsRetriesIsAnsweredWithTheConflict() {
        handle(attempt -> {
            throw new ConcurrencyException("lost again");
        });

        assertThatThrownBy(() -> gateway(3).sendAndWait("reserve")).isInstanceOf(ConcurrencyException.class);

        assertThat(attempts).hasValue(4);
        assertThat(count("retried")).isEqualTo(3);
        assertThat(count("refused")).isEqualTo(1);
    }

    @Test
    void noRetriesAnswerTheFirstConflict() {
        handle(attempt -> {
            throw new ConcurrencyException("lost");
        });

        assertThatThrownBy(() -> gateway(0).sendAndWait("reserve")).isInstanceOf(ConcurrencyException.class);

        assertThat(attempts).hasValue(1);
    }

    @Test
    void aStaleIfMatchIsAnsweredAtOnceNotRetriedPastItsVersion() {
        handle(attempt -> {
            throw new ConflictingAggregateVersionException("x", 3, 4);
        });

        assertThatThrownBy(() -> gateway(8).sendAndWait("change")).isInstanceOf(ConflictingAggregateVersionException.class);

        assertThat(attempts).hasValue(1);
        assertThat(count("conflicted")).isZero();
    }

    @Test
    void aRefusalIsAnsweredAtOnce() {
        handle(attempt -> {
            throw new RefusedException(Refusal.conflict("quantity", "already asked for 2"));
        });

        assertThatThrownBy(() -> gateway(8).sendAndWait("reserve")).isInstanceOf(RefusedException.class);

        assertThat(attempts).hasValue(1);
    }

    @Test
    void aTransactionPostgresAbortedAsADeadlockVictimIsRetried() {
        handle(attempt -> {
            if (attempt == 1) {
                throw new IllegalStateException("claim failed", new SQLException("deadlock detected", "40P01"));
            }
            return "claimed";
        });

        Object answer = gateway(8).sendAndWait("change email");

        assertThat(answer).isEqualTo("claimed");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void aCommandThatFindsItsAggregateCreatedIsTriedOnceMoreOnly() {
        handle(attempt -> {
            throw new AggregateStreamCreationException("An event for aggregate [x] at sequence [0] was already inserted");
        });

        assertThatThrownBy(() -> gateway(8).sendAndWait("register"))
                .isInstanceOf(AggregateStreamCreationException.class);

        assertThat(attempts).as("once more: a create-if-missing command would find the aggregate now").hasValue(2);
    }

    @Test
    void aCommandSentInsideAnotherUnitOfWorkLeavesItsConflictToThatUnit() {
        handle(attempt -> {
            throw new ConcurrencyException("lost");
        });
        DefaultUnitOfWork<?> outer = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("an event"));
        try {
            assertThatThrownBy(() -> gateway(8).sendAndWait("reserve")).isInstanceOf(ConcurrencyException.class);
        } finally {
            outer.rollback();
        }

        assertThat(attempts).hasValue(1);
    }

    @Test
    void pausesDoubleFromTheBackoffUpToTheMaximumAndAreRandomisedWithinTheirUpperHalf() {
        ConflictRetryScheduler scheduler = new ConflictRetryScheduler(
                new CommandProperties(8, Duration.ofMillis(10), Duration.ofMillis(200)), meters);
        for (int i = 0; i < 100; i++) {
            assertThat(scheduler.pauseBefore(1)).isBetween(5L, 10L);
            assertThat(scheduler.pauseBefore(3)).isBetween(20L, 40L);
            assertThat(scheduler.pauseBefore(8)).isBetween(100L, 200L);
            assertThat(scheduler.pauseBefore(60)).isBetween(100L, 200L);
        }
    }

    private void handle(IntFunction<Object> attempt) {
        bus.subscribe(String.class.getName(), message -> {
            threads.add(Thread.currentThread());
            return attempt.apply(attempts.incrementAndGet());
        });
    }

    private CommandGateway gateway(int retries) {
        return DefaultCommandGateway.builder().commandBus(bus).retryScheduler(new ConflictRetryScheduler(
                new CommandProperties(retries, Duration.ofMillis(1), Duration.ofMillis(4)), meters)).build();
    }

    private double count(String outcome) {
        return meters.counter(ConflictRetryScheduler.METER, "outcome", outcome).count();
    }
}
