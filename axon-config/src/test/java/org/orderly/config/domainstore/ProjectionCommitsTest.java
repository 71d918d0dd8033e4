package org.orderly.config.domainstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class ProjectionCommitsTest {

    private final ProjectionCommits commits = new ProjectionCommits();

    @Test
    void aWaitingReadLooksAgainAsSoonAsOneOfItsGroupsCommitsAndNotForOtherGroups() throws Exception {
        // No periodic look here, so that only commits can wake the read.
        ProjectionCommits commits = new ProjectionCommits(Duration.ofMinutes(5), 32);
        AtomicBoolean caughtUp = new AtomicBoolean();
        AtomicInteger looks = new AtomicInteger();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> commits.awaitUntil(
                List.of("customers", "customer-copies"), Duration.ofSeconds(30), () -> {
                    looks.incrementAndGet();
                    return caughtUp.get();
                }));
        awaitLooks(looks, 2);

        caughtUp.set(true);
        commits.committed("orders");
        Thread.sleep(50);
        assertThat(waiting).as("woken only by a commit of a group it reads").isNotDone();

        commits.committed("customer-copies");

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aWaitingReadStillLooksAgainNowAndThenWhenNoCommitIsSeenHere() throws Exception {
        AtomicBoolean caughtUp = new AtomicBoolean();
        AtomicInteger looks = new AtomicInteger();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> commits.awaitUntil(
                List.of("customers"), Duration.ofSeconds(30), () -> {
                    looks.incrementAndGet();
                    return caughtUp.get();
                }));
        awaitLooks(looks, 2);

        // Committed by another node: nothing is committed here.
        caughtUp.set(true);

        assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aWaitingReadGivesUpWhenItsWaitIsOver() {
        long started = System.nanoTime();

        assertThat(commits.awaitUntil(List.of("customers"), Duration.ofMillis(300), () -> false)).isFalse();
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
    }

    @Test
    void aReadModelThatHasCaughtUpAlreadyIsAskedOnce() {
        AtomicInteger looks = new AtomicInteger();

        assertThat(commits.awaitUntil(List.of("customers"), Duration.ofSeconds(30), () -> {
            looks.incrementAndGet();
            return true;
        })).isTrue();
        assertThat(looks).hasValue(1);
    }

    @Test
    void beyondTheMostWaitingReadsAReadAsksOnceAndAnswersAtOnce() throws Exception {
        ProjectionCommits commits = new ProjectionCommits(Duration.ofMinutes(5), 1);
        AtomicBoolean caughtUp = new AtomicBoolean();
        AtomicInteger looks = new AtomicInteger();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> commits.awaitUntil(
                List.of("customers"), Duration.ofSeconds(30), () -> {
                    looks.incrementAndGet();
                    return caughtUp.get();
                }));
        awaitLooks(looks, 2);
        AtomicInteger otherLooks = new AtomicInteger();
        long started = System.nanoTime();

        assertThat(commits.awaitUntil(List.of("orders"), Duration.ofSeconds(30), () -> {
            otherLooks.incrementAndGet();
            return false;
        })).isFalse();
        assertThat(otherLooks).hasValue(1);
        assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(1));

        caughtUp.set(true);
        commits.committed("customers");
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
    }

    private static void awaitLooks(AtomicInteger looks, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (looks.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(looks.get()).isGreaterThanOrEqualTo(count);
    }
}
