package org.orderly.config.domainstore;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The one way Orderly waits for read models to catch up: a GET that sent back a command's {@code Orderly-Position}
 * ("read your own writes", {@code web.ReadYourWrites}), and a command that decides on a domain's copies (the order
 * domain's customer and product copies, the returns domain's order copy). A wait asks its condition again as soon as
 * one of the processors it names commits a transaction, on this node or any other one on the database
 * ({@link ProjectionCommitNotifications}: PostgreSQL's {@code NOTIFY}, delivered with the commit), and at least every
 * {@link #RECHECK} in case a notification was lost while its connection was re-established.
 */
public final class ProjectionCommits {

    /** How often a waiting read looks again when no commit of its groups is seen. */
    static final Duration RECHECK = Duration.ofMillis(50);

    /** Waiting reads allowed at once when none is configured ({@code orderly.web.max-waiting-reads}). */
    static final int DEFAULT_MAX_WAITERS = 32;

    private final long recheckNanos;
    /**
     * Each waiting read holds a request thread: without a bound, a few hundred of them hold every thread
     * and an unrelated request waits seconds for one. Past the bound a read does not wait.
     */
    private final Semaphore waiters;

    private final ConcurrentMap<String, Set<Waiter>> waiting;

    ProjectionCommits() {
        this(RECHECK, DEFAULT_MAX_WAITERS);
    }

    ProjectionCommits(Duration recheck, int maxWaiters) {
        this(recheck.toNanos(), maxWaiters, new ConcurrentHashMap<>());
    }

    private ProjectionCommits(long recheckNanos, int maxWaiters, ConcurrentMap<String, Set<Waiter>> waiting) {
        this.recheckNanos = recheckNanos;
        this.waiters = new Semaphore(Math.max(maxWaiters, 0));
        this.waiting = waiting;
    }

    /**
     * The same commits, for callers of which at most {@code maxWaiters} wait at once: the bound belongs to whoever
     * holds the waiting threads (the web layer's request threads, {@code orderly.web.max-waiting-reads}).
     */
    public ProjectionCommits withMostWaiting(int maxWaiters) {
        return new ProjectionCommits(recheckNanos, maxWaiters, waiting);
    }

    /**
     * Asks {@code reached} until it says yes or {@code wait} passes, asking again whenever one of
     * {@code processingGroups} commits a batch on this node, and at least every {@link #RECHECK}. When as many
     * reads as allowed are waiting already, it asks once: waiting reads can never hold every request thread.
     *
     * @return {@code reached}'s last answer
     */
    public boolean awaitUntil(Collection<String> processingGroups, Duration wait, BooleanSupplier reached) {
        if (reached.getAsBoolean()) {
            return true;
        }
        if (wait.isZero() || wait.isNegative() || !waiters.tryAcquire()) {
            return false;
        }
        Waiter waiter = new Waiter();
        // Registered before looking again: a commit during a look still wakes the wait that follows it.
        processingGroups.forEach(group -> waiting.compute(group, (g, set) -> {
            Set<Waiter> waiters = set == null ? ConcurrentHashMap.newKeySet() : set;
            waiters.add(waiter);
            return waiters;
        }));
        try {
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                if (reached.getAsBoolean()) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                waiter.await(Math.min(left, recheckNanos));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            processingGroups.forEach(group -> waiting.computeIfPresent(group, (g, set) -> {
                set.remove(waiter);
                return set.isEmpty() ? null : set;
            }));
            waiters.release();
        }
    }

    /** A batch of {@code processingGroup} has committed. */
    void committed(String processingGroup) {
        if (waiting.isEmpty()) {
            return;
        }
        Set<Waiter> waiters = waiting.get(processingGroup);
        if (waiters != null) {
            waiters.forEach(Waiter::signal);
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
