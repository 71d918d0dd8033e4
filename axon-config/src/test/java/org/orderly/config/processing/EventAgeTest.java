package org.orderly.config.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.DefaultInterceptorChain;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.junit.jupiter.api.Test;

class EventAgeTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EventAge age = EventAge.of("customers", registry, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void eachEventsAgeIsRecordedWhenHandledAndAgainWhenItsBatchCommits() throws Exception {
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(List.of(
                eventAt(NOW.minusMillis(40)), eventAt(NOW.minusMillis(10))));

        batch.executeWithResult(() -> {
            assertThat(timer("committed").count()).isZero(); // nothing is committed while the batch runs
            return new DefaultInterceptorChain<>(batch, List.of(age), message -> null).proceed();
        });

        assertThat(timer("handled").count()).isEqualTo(2);
        assertThat(timer("handled").max(TimeUnit.MILLISECONDS)).isEqualTo(40);
        assertThat(timer("committed").count()).isEqualTo(2);
        assertThat(timer("committed").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(50);
    }

    @Test
    void aBatchThatRollsBackRecordsNoCommittedAge() throws Exception {
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(List.of(eventAt(NOW.minusMillis(5))));

        var result = batch.executeWithResult(() -> new DefaultInterceptorChain<>(batch, List.of(age), message -> {
            throw new IllegalStateException("projection failed");
        }).proceed());

        assertThat(result.isExceptional()).isTrue();
        assertThat(batch.isRolledBack()).isTrue();
        assertThat(timer("handled").count()).isEqualTo(1);
        assertThat(timer("committed").count()).isZero();
    }

    @Test
    void replayedEventsAreNotRecorded() throws Exception {
        TrackedEventMessage<?> replayed = new GenericTrackedEventMessage<>(
                ReplayToken.createReplayToken(new GlobalSequenceTrackingToken(10), new GlobalSequenceTrackingToken(1)),
                eventAt(NOW.minus(java.time.Duration.ofDays(300))));
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(List.of(replayed));

        batch.executeWithResult(() -> new DefaultInterceptorChain<>(batch, List.of(age), message -> null).proceed());

        assertThat(timer("handled").count()).isZero();
        assertThat(timer("committed").count()).isZero();
    }

    private Timer timer(String stage) {
        return registry.get("orderly.processor.event.age").tag("processor", "customers").tag("stage", stage).timer();
    }

    private static EventMessage<?> eventAt(Instant timestamp) {
        return new GenericEventMessage<>(UUID.randomUUID().toString(), "payload", Map.of(), timestamp);
    }
}
