package org.orderly.config.domainstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.DefaultInterceptorChain;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.junit.jupiter.api.Test;

class ProjectionCommitsTest {

    private final ProjectionCommits commits = new ProjectionCommits();

    @Test
    void aBatchCountsOnceWhenItCommitsHoweverManyEventsItHandled() throws Exception {
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(java.util.List.of(
                GenericEventMessage.asEventMessage("a"), GenericEventMessage.asEventMessage("b")));
        var interceptor = commits.interceptor("customers");

        batch.executeWithResult(() -> {
            new DefaultInterceptorChain<>(batch, java.util.List.of(interceptor), m -> null).proceed();
            assertThat(commits.count("customers")).as("not before the commit").isZero();
            return null;
        });

        assertThat(commits.count("customers")).isEqualTo(1);
        assertThat(commits.count("orders")).isZero();
    }

    @Test
    void aWaiterWakesWhenItsProjectionCommitsAndNotForAnother() throws Exception {
        long seen = commits.count("customers");
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return commits.awaitBeyond("customers", seen, Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        commitBatch("orders");
        Thread.sleep(100);
        assertThat(waiting).isNotDone();

        commitBatch("customers");

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aWaiterGivesUpAfterItsTimeout() throws Exception {
        long started = System.nanoTime();

        assertThat(commits.awaitBeyond("customers", commits.count("customers"), Duration.ofMillis(200))).isFalse();
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    }

    private void commitBatch(String group) throws Exception {
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(java.util.List.of(
                GenericEventMessage.asEventMessage("x")));
        batch.executeWithResult(() ->
                new DefaultInterceptorChain<>(batch, java.util.List.of(commits.interceptor(group)), m -> null).proceed());
    }
}
