package org.orderly.config.domainstore;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.axonframework.common.AxonThreadFactory;

/**
 * The coordinator and worker threads of one pooled streaming processor, arranged so that a coordinator waiting for
 * room in its work packages resumes as soon as a work package has handled a batch.
 * <p>
 * Axon's coordinator reads events into a buffer of 1,024 per work package; when one is full it stops and looks again
 * 100 ms later. A replay or a catch-up fills the buffers at once, so the work packages empty them in a few dozen
 * milliseconds and then wait out the rest of the 100 ms: in a profiled replay the coordinator and every worker of the
 * processor were idle two thirds of the time, at 13,000 events/s, with the CPU half idle. Here every task a worker
 * finishes runs a coordinator task waiting on a short delay at once, which is what the delay waits for. A task runs
 * once, whichever comes first; running a coordination task early is what the coordinator itself does whenever events
 * arrive. Only delays of at most {@link #BACK_PRESSURE_WAIT} are brought forward: the coordinator's longer ones (the
 * wait for a claim, the back-off after an error) keep their time.
 * <p>
 * <b>Works around Axon</b> (listed with the others in {@code docs/axon-workarounds.md}). Axon 4.13's {@code
 * Coordinator} waits 100 ms for room in a full work package; this can go when work packages wake their coordinator.
 */
final class CoordinatorWakingExecutors {

    /** Axon's coordinator waits this long for room in its work packages; its other delays are longer. */
    static final long BACK_PRESSURE_WAIT = 100;

    private final ScheduledExecutorService coordinator;
    private final ScheduledExecutorService workers;
    private final Set<Once> waiting = ConcurrentHashMap.newKeySet();

    CoordinatorWakingExecutors(String processor, int workerCount) {
        this(processor, workerCount, BACK_PRESSURE_WAIT);
    }

    CoordinatorWakingExecutors(String processor, int workerCount, long backPressureWaitMillis) {
        ScheduledExecutorService coordinatorThread = Executors.newSingleThreadScheduledExecutor(
                new AxonThreadFactory("Coordinator[" + processor + "]"));
        ScheduledExecutorService workerThreads = Executors.newScheduledThreadPool(workerCount,
                new AxonThreadFactory("WorkPackage[" + processor + "]"));
        this.coordinator = new Delegating(coordinatorThread) {
            @Override
            public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
                if (delay <= 0 || unit.toMillis(delay) > backPressureWaitMillis) {
                    return delegate.schedule(command, delay, unit);
                }
                Once once = new Once(command);
                waiting.add(once);
                return delegate.schedule(once, delay, unit);
            }
        };
        this.workers = new Delegating(workerThreads) {
            @Override
            public Future<?> submit(Runnable task) {
                return delegate.submit(wakingAfter(task));
            }

            @Override
            public void execute(Runnable command) {
                delegate.execute(wakingAfter(command));
            }
        };
    }

    ScheduledExecutorService coordinator() {
        return coordinator;
    }

    ScheduledExecutorService workers() {
        return workers;
    }

    void shutdown() {
        coordinator.shutdown();
        workers.shutdown();
    }

    private Runnable wakingAfter(Runnable task) {
        return () -> {
            try {
                task.run();
            } finally {
                wakeCoordinator();
            }
        };
    }

    private void wakeCoordinator() {
        for (Once once : waiting) {
            if (waiting.remove(once) && !coordinator.isShutdown()) {
                coordinator.execute(once);
            }
        }
    }

    /** A task that runs on its delay or when woken, whichever is first, and never twice. */
    private final class Once implements Runnable {
        private final Runnable task;
        private final AtomicBoolean ran = new AtomicBoolean();

        private Once(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            waiting.remove(this);
            if (ran.compareAndSet(false, true)) {
                task.run();
            }
        }
    }

    /** Hands everything to an executor; subclasses change what they need. */
    private abstract static class Delegating implements ScheduledExecutorService {
        final ScheduledExecutorService delegate;

        Delegating(ScheduledExecutorService delegate) {
            this.delegate = delegate;
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return delegate.schedule(command, delay, unit);
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            return delegate.schedule(callable, delay, unit);
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            return delegate.scheduleAtFixedRate(command, initialDelay, period, unit);
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
                                                         TimeUnit unit) {
            return delegate.scheduleWithFixedDelay(command, initialDelay, delay, unit);
        }

        @Override
        public void shutdown() {
            delegate.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return delegate.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return delegate.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return delegate.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return delegate.awaitTermination(timeout, unit);
        }

        @Override
        public <T> Future<T> submit(Callable<T> task) {
            return delegate.submit(task);
        }

        @Override
        public <T> Future<T> submit(Runnable task, T result) {
            return delegate.submit(task, result);
        }

        @Override
        public Future<?> submit(Runnable task) {
            return delegate.submit(task);
        }

        @Override
        public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
            return delegate.invokeAll(tasks);
        }

        @Override
        public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
                throws InterruptedException {
            return delegate.invokeAll(tasks, timeout, unit);
        }

        @Override
        public <T> T invokeAny(Collection<? extends Callable<T>> tasks)
                throws InterruptedException, ExecutionException {
            return delegate.invokeAny(tasks);
        }

        @Override
        public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
                throws InterruptedException, ExecutionException, TimeoutException {
            return delegate.invokeAny(tasks, timeout, unit);
        }

        @Override
        public void execute(Runnable command) {
            delegate.execute(command);
        }
    }
}
