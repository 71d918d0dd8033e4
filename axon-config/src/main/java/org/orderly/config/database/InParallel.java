package org.orderly.config.database;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Start-up work on independent schemas, a few at a time: each schema's Flyway run is mostly waiting on
 * the database and on class-path scanning, and a dozen of them in a row made up seconds of the boot.
 */
public final class InParallel {

    static final int THREADS = 4;

    private InParallel() {
    }

    /** Applies {@code action} to every item, in parallel, and returns the results in the items' order. */
    public static <T, R> List<R> map(List<T> items, Function<T, R> action) {
        if (items.size() < 2) {
            return items.stream().map(action).toList();
        }
        // The caller's class loader: in the packaged jar, migrations are only visible through it.
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, items.size()), runnable -> {
            Thread thread = new Thread(runnable, "orderly-startup");
            thread.setContextClassLoader(loader);
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            items.forEach(item -> futures.add(pool.submit(() -> action.apply(item))));
            List<R> results = new ArrayList<>();
            RuntimeException failure = null;
            for (Future<R> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    results.add(null);
                    RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
                            : new IllegalStateException(e.getCause());
                    if (failure == null) {
                        failure = cause;
                    } else {
                        failure.addSuppressed(cause);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted during start-up", e);
                }
            }
            if (failure != null) {
                throw new PartialFailure(results, failure);
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Some items failed; {@link #results()} holds the others' results (null where an item failed). */
    public static final class PartialFailure extends RuntimeException {
        private final transient List<?> results;

        PartialFailure(List<?> results, RuntimeException cause) {
            super(cause.getMessage(), cause);
            this.results = results;
        }

        public List<?> results() {
            return results;
        }
    }
}
