package org.orderly.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The highest open-loop rate at which a flow keeps up, by probes of {@code bench.probeSeconds}: the first at a
 * given rate, then a bisection between the highest rate kept up with and the lowest one not (at most the
 * closed-loop maximum: no open loop sustains more than the commands allow), to within a tenth, in at most 8 probes.
 * A probe keeps up when 95 % of its operations succeed within the probe (plus a second), none fails, the backlog
 * (sampled every second) is no higher over the last quarter than over the first plus half a second of the rate,
 * and it drains to 0 within 10 s. After a probe that fell behind, the flow is left to quiet down.
 */
final class SustainedRate {

    /** Waits for a flow's backlog to clear; returns what it reports of the wait. */
    interface Quieting {
        Object await() throws InterruptedException;
    }

    private SustainedRate() {
    }

    /**
     * @param what      the flow, as the console names it
     * @param upper     the closed-loop maximum
     * @param first     the first probe's rate
     * @param operation one operation of the flow
     * @param backlog   the flow's backlog, -1 if unknown
     * @param quiet     waits for the backlog to clear
     */
    static Map<String, Object> probe(String what, double upper, double first, long probeSeconds,
                                     Supplier<Response> operation, LongSupplier backlog, Quieting quiet)
            throws InterruptedException {
        List<Map<String, Object>> probes = new ArrayList<>();
        double high = upper;
        double low = 0;
        double rate = first;
        while (probes.size() < 8) {
            List<Long> samples = Collections.synchronizedList(new ArrayList<>());
            AtomicLong inTime = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            AtomicLong unfinished = new AtomicLong();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> samples.add(backlog.getAsLong()), 1, 1, TimeUnit.SECONDS);
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(probeSeconds);
            Load.openLoop(rate, end, 30, scheduled -> {
                Response response = operation.get();
                if (response.status() == -1 && "interrupted".equals(response.body())) {
                    unfinished.incrementAndGet(); // still waiting 30 s after the probe: the harness gave up on it
                } else if (response.status() / 100 != 2) {
                    failed.incrementAndGet();
                } else if (System.nanoTime() <= end + TimeUnit.SECONDS.toNanos(1)) {
                    inTime.incrementAndGet();
                }
            });
            sampler.shutdownNow();
            sampler.awaitTermination(5, TimeUnit.SECONDS);
            List<Long> backlogs;
            synchronized (samples) {
                backlogs = new ArrayList<>(samples);
            }
            int quarter = Math.max(1, backlogs.size() / 4);
            double firstQuarter = backlogs.isEmpty() ? 0 : backlogs.subList(0, Math.min(quarter, backlogs.size()))
                    .stream().mapToLong(Long::longValue).average().orElse(0);
            double lastQuarter = backlogs.isEmpty() ? 0 : backlogs.subList(Math.max(0, backlogs.size() - quarter),
                    backlogs.size()).stream().mapToLong(Long::longValue).average().orElse(0);
            ReadModels.awaitBacklog(backlog, 10);
            boolean drained = backlog.getAsLong() == 0;
            double kept = inTime.get() / (double) probeSeconds;
            boolean rateKept = kept >= 0.95 * rate && failed.get() == 0;
            boolean keptUp = rateKept && lastQuarter <= firstQuarter + rate / 2 && drained;
            Map<String, Object> probe = new LinkedHashMap<>();
            probe.put("ratePerSecond", Math.round(rate * 10) / 10.0);
            probe.put("succeededWithinTheProbePerSecond", Math.round(kept * 10) / 10.0);
            probe.put("failed", failed.get());
            probe.put("unfinished30sAfterTheProbe", unfinished.get());
            probe.put("backlogEverySecond", backlogs);
            probe.put("drainedWithin10s", drained);
            probe.put("keptUp", keptUp);
            probes.add(probe);
            System.out.printf("%s at %.1f/s (%.1f/s done in time, %d failed, %d unfinished): backlog %s, drained %s: %s%n",
                    what, rate, kept, failed.get(), unfinished.get(), backlogs, drained, keptUp ? "kept up" : "fell behind");
            if (keptUp) {
                low = rate;
            } else {
                high = rate;
                quiet.await();
            }
            if (high - low <= Math.max(1, high / 10)) {
                break;
            }
            rate = (low + high) / 2;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("closedLoopMaximumPerSecond", upper);
        result.put("maxSustainedPerSecond", Math.round(low * 10) / 10.0);
        result.put("probes", probes);
        System.out.printf("%s keeps up with at most %.1f/s (closed-loop maximum %.1f/s)%n", what, low, upper);
        return result;
    }
}
