package org.orderly.config.domainstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class ProjectionCommitsTest {

    private final ProjectionCommits commits = new ProjectionCommits();

    @Test
    void aWaitingReadLooksAgainAsSoonAsItsRowIsCommittedAndNotForOtherRows() throws Exception {
        // No periodic look here, so that only commits can wake the read.
        ProjectionCommits commits = new ProjectionCommits(Duration.ofMinutes(5), 32);
        AtomicReference<String> row = new AtomicReference<>();
        AtomicInteger reads = new AtomicInteger();
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> commits.readWhenWritten(
                "customers", "ada", Duration.ofSeconds(30), () -> {
                    reads.incrementAndGet();
                    return row.get();
                }));
        awaitReads(reads, 1);

        row.set("Ada");
        commits.committed("customers", List.of("grace"));
        commits.committed("orders", List.of("ada"));
        Thread.sleep(50);
        assertThat(waiting).as("woken only by its own row of its own projection").isNotDone();

        commits.committed("customers", List.of("grace", "ada"));

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("Ada");
    }

    @Test
    void aWaitingReadStillLooksAgainNowAndThenWhenNoCommitIsSeenHere() throws Exception {
        AtomicReference<String> row = new AtomicReference<>();
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> commits.readWhenWritten(
                "customers", "ada", Duration.ofSeconds(30), row::get));

        // Written by another node: nothing is committed here.
        row.set("Ada");

        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo("Ada");
    }

    @Test
    void aWaitingReadGivesUpWithNothingWhenItsWaitIsOver() {
        long started = System.nanoTime();

        assertThat(commits.<String>readWhenWritten("customers", "ada", Duration.ofMillis(300), () -> null)).isNull();
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
    }

    @Test
    void withoutAWaitARowIsReadOnce() {
        AtomicInteger reads = new AtomicInteger();

        assertThat(commits.<String>readWhenWritten("customers", "ada", Duration.ZERO, () -> {
            reads.incrementAndGet();
            return null;
        })).isNull();
        assertThat(reads).hasValue(1);
    }

    @Test
    void beyondTheMostWaitingReadsAReadAnswersAtOnceAsIfNoWaitWasAsked() throws Exception {
        ProjectionCommits commits = new ProjectionCommits(Duration.ofMinutes(5), 1);
        AtomicInteger reads = new AtomicInteger();
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> commits.readWhenWritten(
                "customers", "ada", Duration.ofSeconds(30), () -> {
                    reads.incrementAndGet();
                    return null;
                }));
        awaitReads(reads, 1);
        long started = System.nanoTime();

        assertThat(commits.<String>readWhenWritten("customers", "grace", Duration.ofSeconds(30), () -> null)).isNull();
        assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(1));

        commits.committed("customers", List.of("ada"));
        waiting.cancel(true);
    }

    private static void awaitReads(AtomicInteger reads, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (reads.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(reads.get()).isGreaterThanOrEqualTo(count);
    }
}
