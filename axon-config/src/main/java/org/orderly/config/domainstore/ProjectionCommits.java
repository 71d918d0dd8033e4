package org.orderly.config.domainstore;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Tells a query that waits for a projection ("read your own writes") when the projection's processor has
 * committed another batch, so that it looks again at once instead of polling. Each processing group counts
 * its committed batches; a waiter notes the count before it reads, and waits for the count to move.
 * Only this node's commits are seen, so a waiter also reads again every {@link #RECHECK}.
 */
public final class ProjectionCommits {

    /** How often a waiting read looks again when no commit of its projection is seen on this node. */
    static final Duration RECHECK = Duration.ofMillis(100);

    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

    /** How many batches with events for it {@code processingGroup} has committed on this node. */
    public long count(String processingGroup) {
        return counter(processingGroup).count();
    }

    /**
     * Waits until {@code processingGroup} commits a batch beyond {@code seen} or {@code timeout} passes.
     *
     * @return whether a batch was committed
     */
    public boolean awaitBeyond(String processingGroup, long seen, Duration timeout) throws InterruptedException {
        return counter(processingGroup).awaitBeyond(seen, timeout);
    }

    /**
     * Reads with {@code read} until it finds something or {@code wait} passes, reading again each time
     * {@code processingGroup} commits a batch.
     *
     * @return what {@code read} found, or {@code null}
     */
    public <T> T readWhenPresent(String processingGroup, Duration wait, Supplier<T> read) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            // Counted before reading: a batch committed during the read still wakes the wait below.
            long seen = count(processingGroup);
            T found = read.get();
            long left = deadline - System.nanoTime();
            if (found != null || left <= 0) {
                return found;
            }
            try {
                // Another node may hold the projection's segments: then no commit is seen here, and the
                // read is repeated every RECHECK instead.
                awaitBeyond(processingGroup, seen, Duration.ofNanos(Math.min(left, RECHECK.toNanos())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /** Counts the batch of the handled event's unit of work once, when it commits. */
    MessageHandlerInterceptor<EventMessage<?>> interceptor(String processingGroup) {
        Counter counter = counter(processingGroup);
        String resource = ProjectionCommits.class.getName();
        return (UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain) -> {
            UnitOfWork<?> root = unitOfWork.root();
            if (root.resources().putIfAbsent(resource, Boolean.TRUE) == null) {
                root.afterCommit(u -> counter.increment());
            }
            return chain.proceed();
        };
    }

    private Counter counter(String processingGroup) {
        return counters.computeIfAbsent(processingGroup, group -> new Counter());
    }

    private static final class Counter {
        private long count;

        synchronized long count() {
            return count;
        }

        synchronized void increment() {
            count++;
            notifyAll();
        }

        synchronized boolean awaitBeyond(long seen, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (count <= seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }
}
