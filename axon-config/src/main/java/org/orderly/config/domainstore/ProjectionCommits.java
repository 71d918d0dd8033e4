package org.orderly.config.domainstore;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Lets a query wait for a projection to write a row ("read your own writes") without polling: when a
 * projection's batch commits, {@link ProjectionWrites} names the row keys it wrote, and only the reads
 * waiting for one of those rows look again. Only this node's commits are seen, so a waiting read also
 * looks again every {@link #RECHECK} (another node may hold the projection's segments).
 */
public final class ProjectionCommits {

    /** How often a waiting read looks again when no commit of its row is seen on this node. */
    static final Duration RECHECK = Duration.ofSeconds(1);

    /** Waiting reads allowed at once when none is configured ({@code orderly.web.max-waiting-reads}). */
    static final int DEFAULT_MAX_WAITERS = 32;

    private final long recheckNanos;
    /**
     * Each waiting read holds a request thread: without a bound, a few hundred of them hold every thread
     * and an unrelated request waits seconds for one. Past the bound a read does not wait.
     */
    private final Semaphore waiters;

    ProjectionCommits() {
        this(RECHECK, DEFAULT_MAX_WAITERS);
    }

    ProjectionCommits(int maxWaiters) {
        this(RECHECK, maxWaiters);
    }

    ProjectionCommits(Duration recheck, int maxWaiters) {
        this.recheckNanos = recheck.toNanos();
        this.waiters = new Semaphore(Math.max(maxWaiters, 0));
    }

    private record Row(String processingGroup, Object rowKey) {
    }

    private final ConcurrentMap<Row, Set<Waiter>> waiting = new ConcurrentHashMap<>();

    /**
     * Reads with {@code read} until it finds something or {@code wait} passes, reading again whenever
     * {@code processingGroup} commits a write to {@code rowKey} (the key its handlers give
     * {@link ProjectionWrites#update}). When as many reads as allowed are waiting already, it reads once
     * and answers, as if no wait had been asked: a wait is a preference (RFC 7240), not a promise.
     *
     * @return what {@code read} found, or {@code null}
     */
    public <T> T readWhenWritten(String processingGroup, Object rowKey, Duration wait, Supplier<T> read) {
        if (wait.isZero() || wait.isNegative() || !waiters.tryAcquire()) {
            return read.get();
        }
        try {
            return waitFor(processingGroup, rowKey, wait, read);
        } finally {
            waiters.release();
        }
    }

    private <T> T waitFor(String processingGroup, Object rowKey, Duration wait, Supplier<T> read) {
        Row row = new Row(processingGroup, rowKey);
        Waiter waiter = new Waiter();
        // Registered before the first read: a commit during a read still wakes the wait that follows it.
        waiting.compute(row, (r, waiters) -> {
            Set<Waiter> set = waiters == null ? ConcurrentHashMap.newKeySet() : waiters;
            set.add(waiter);
            return set;
        });
        try {
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                T found = read.get();
                long left = deadline - System.nanoTime();
                if (found != null || left <= 0) {
                    return found;
                }
                waiter.await(Math.min(left, recheckNanos));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            waiting.computeIfPresent(row, (r, waiters) -> {
                waiters.remove(waiter);
                return waiters.isEmpty() ? null : waiters;
            });
        }
    }

    /** A batch of {@code processingGroup} that wrote these row keys has committed. */
    void committed(String processingGroup, Collection<Object> rowKeys) {
        if (waiting.isEmpty()) {
            return;
        }
        for (Object rowKey : rowKeys) {
            Set<Waiter> waiters = waiting.get(new Row(processingGroup, rowKey));
            if (waiters != null) {
                waiters.forEach(Waiter::signal);
            }
        }
    }

    private static final class Waiter {
        private boolean signalled;

        synchronized void signal() {
            signalled = true;
            notifyAll();
        }

        synchronized void await(long nanos) throws InterruptedException {
            long deadline = System.nanoTime() + nanos;
            while (!signalled) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            signalled = false;
        }
    }
}
