package org.orderly.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import org.HdrHistogram.Histogram;

/** The two ways the harness loads a system: closed loop (so many clients) and open loop (so many per second). */
final class Load {

    private Load() {
    }

    /**
     * A closed loop for any system under test: {@code clients} threads, each sending its next request when the last
     * is answered; {@code warmup} unmeasured, then {@code duration} measured, with {@code everySecond} run once a
     * second while measuring (a backlog sampled, say) and {@code cpu} snapshotted at both ends of it. Gives ok,
     * failed, throughputPerSecond, the latency percentiles of the 2xx answers and cpuPerOperation (of the
     * application, PostgreSQL and this load generator: when the cores are saturated, throughput is the inverse of
     * their sum).
     */
    static Map<String, Object> closedLoop(int clients, Supplier<Response> operation, Duration warmup,
            Duration duration, Supplier<CpuTime> cpu, Runnable everySecond) throws InterruptedException {
        Histogram latencies = histogram();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(() -> {
                while (running.get()) {
                    long start = System.nanoTime();
                    Response response = operation.get();
                    long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
                    if (measuring.get()) {
                        if (response.status() / 100 == 2) {
                            ok.incrementAndGet();
                            record(latencies, micros);
                        } else {
                            failed.incrementAndGet();
                        }
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        Thread.sleep(warmup.toMillis());
        CpuTime cpuBefore = cpu.get();
        measuring.set(true);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(1000);
            everySecond.run();
        }
        measuring.set(false);
        double seconds = (System.nanoTime() - start) / 1e9;
        CpuTime cpuAfter = cpu.get();
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ok", ok.get());
        result.put("failed", failed.get());
        result.put("throughputPerSecond", Math.round(ok.get() / seconds * 10) / 10.0);
        result.putAll(percentiles(latencies));
        result.put("cpuPerOperation", CpuTime.perOperation(cpuBefore, cpuAfter, ok.get()));
        return result;
    }

    /**
     * Open loop: at {@code rate} per second until {@code endNanos} ({@link System#nanoTime()}), hands
     * {@code task} its scheduled time on a thread of its own (a bounded pool would queue work in the harness and
     * hide a slow Orderly), then waits up to {@code drainSeconds} for the tasks in flight.
     */
    static void openLoop(double rate, long endNanos, int drainSeconds, LongConsumer task) throws InterruptedException {
        long intervalNanos = (long) (1e9 / Math.max(rate, 1));
        ExecutorService pool = Executors.newCachedThreadPool();
        long next = System.nanoTime();
        while (next < endNanos) {
            long scheduled = next;
            pool.execute(() -> task.accept(scheduled));
            next += intervalNanos;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            }
        }
        pool.shutdown();
        if (!pool.awaitTermination(drainSeconds, TimeUnit.SECONDS)) {
            pool.shutdownNow();
        }
    }

    /** A histogram of microseconds, up to a minute, to three significant digits. */
    static Histogram histogram() {
        return new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    }

    /** Records {@code micros} (capped at the histogram's highest value) from any thread. */
    static void record(Histogram histogram, long micros) {
        synchronized (histogram) {
            histogram.recordValue(Math.max(0, Math.min(micros, histogram.getHighestTrackableValue())));
        }
    }

    /** p50, p99, p99.9 and max of a histogram of microseconds, in milliseconds to a tenth. */
    static Map<String, Object> percentiles(Histogram histogram) {
        Function<Double, Double> ms = p -> Math.round(histogram.getValueAtPercentile(p) / 100.0) / 10.0;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("p50Ms", ms.apply(50.0));
        result.put("p99Ms", ms.apply(99.0));
        result.put("p999Ms", ms.apply(99.9));
        result.put("maxMs", Math.round(histogram.getMaxValue() / 100.0) / 10.0);
        return result;
    }
}
