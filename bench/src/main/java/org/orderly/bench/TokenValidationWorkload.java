package org.orderly.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.HdrHistogram.Histogram;

/**
 * Workload {@code token}: what validating a bearer token costs Orderly per request. Closed-loop
 * {@code GET /api/products/{id}} (a public endpoint, a random seeded product each time) at {@code bench.tokenClients}
 * clients, alternating between phases without a token (A) and with the staff token (B), which Spring Security
 * validates even on a public path (signature, issuer, audience, expiry). After a warm-up of {@code bench.tokenWarmup}
 * (half of it each way), A and B take turns {@code bench.tokenRounds} times, {@code bench.tokenSeconds} each; the
 * clients keep running across phases, and a request counts for the phase it started and ended in. Each phase:
 * requests/s, p50/p99 and CPU µs per request of Orderly, PostgreSQL and the harness from {@code /proc}; then both
 * modes summed over their phases, and B − A in Orderly's CPU µs per request: the validation's cost. As B always
 * follows A, a drift (the JIT, the machine's hour) lands in B − A; so each B is also compared with the mean of the
 * A before and the A after it.
 */
record TokenValidationWorkload(Settings settings, Orderly orderly) {

    Map<String, Object> run() throws InterruptedException {
        Settings.Token tokenSettings = settings.token();
        int clients = tokenSettings.clients();
        int rounds = tokenSettings.rounds();
        long phaseMillis = tokenSettings.phase().toMillis();
        OrderlyClient client = orderly.client();
        List<String> products = orderly.shop().products();
        String staffAuthorization = client.staffAuthorization();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("clients", clients);
        result.put("phaseSeconds", phaseMillis / 1000);
        result.put("rounds", rounds);
        // The token is checked, not ignored, on a public path: a forged one (signature of another) is refused.
        String[] parts = staffAuthorization.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        int forgedStatus = client.getWith("/api/products/" + products.get(0), "Authorization", forged).statusCode();
        result.put("forgedTokenOnPublicPathStatus", forgedStatus);
        if (forgedStatus != 401) {
            System.out.println("TOKEN: a forged token on GET /api/products/{id} answered " + forgedStatus + ", not 401");
        }
        record Phase(String mode, String authorization, Histogram latencies, AtomicLong ok, AtomicLong failed,
                     Map<Integer, Long> failures) {
            Phase(String mode, String authorization) {
                this(mode, authorization, Load.histogram(), new AtomicLong(), new AtomicLong(),
                        new ConcurrentHashMap<>());
            }
        }
        Phase stop = new Phase("stop", null);
        AtomicReference<Phase> current = new AtomicReference<>(new Phase("warm-up", null));
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(() -> {
                Phase phase;
                while ((phase = current.get()) != stop) {
                    String path = "/api/products/" + products.get(ThreadLocalRandom.current().nextInt(products.size()));
                    long start = System.nanoTime();
                    int status;
                    try {
                        status = phase.authorization() == null ? client.getWith(path).statusCode()
                                : client.getWith(path, "Authorization", phase.authorization()).statusCode();
                    } catch (RuntimeException e) {
                        status = -1;
                    }
                    long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
                    if (current.get() != phase) {
                        continue; // started in one phase, ended in the next: counts for neither
                    }
                    if (status == 200) {
                        phase.ok().incrementAndGet();
                        Load.record(phase.latencies(), micros);
                    } else {
                        phase.failed().incrementAndGet();
                        phase.failures().merge(status, 1L, Long::sum);
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        long warmupMillis = tokenSettings.warmup().toMillis();
        result.put("warmupSeconds", warmupMillis / 1000);
        Thread.sleep(warmupMillis / 2);
        current.set(new Phase("warm-up", staffAuthorization));
        Thread.sleep(warmupMillis - warmupMillis / 2);
        List<Map<String, Object>> phases = new ArrayList<>();
        Map<String, long[]> totals = new LinkedHashMap<>(); // ok, nanos, app, postgres, harness ticks, failed
        Map<String, Histogram> merged = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (String mode : List.of("anonymous", "token")) {
                Phase phase = new Phase(mode, "token".equals(mode) ? staffAuthorization : null);
                CpuTime before = CpuTime.now(orderly.process().process(), orderly.process().postmaster());
                long start = System.nanoTime();
                current.set(phase);
                Thread.sleep(phaseMillis);
                CpuTime after = CpuTime.now(orderly.process().process(), orderly.process().postmaster());
                long nanos = System.nanoTime() - start;
                current.set(new Phase("between", null)); // the phase is over; the next one starts after its CPU snapshot
                long ok = phase.ok().get();
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("round", round);
                figures.put("mode", mode);
                figures.put("ok", ok);
                figures.put("failed", phase.failed().get());
                if (!phase.failures().isEmpty()) {
                    figures.put("failedByStatus", new TreeMap<>(phase.failures()));
                }
                figures.put("requestsPerSecond", Math.round(ok / (nanos / 1e9) * 10) / 10.0);
                figures.putAll(Load.percentiles(phase.latencies()));
                figures.putAll(cpuMicros(before, after, ok));
                phases.add(figures);
                System.out.printf("token validation, round %d, %-9s %3d clients: %8.1f/s  p50 %5.2f ms  p99 %5.2f ms  "
                                + "failed %d  CPU µs per request: Orderly %s, PostgreSQL %s, harness %s (machine busy %s %%)%n",
                        round, mode, clients, (double) figures.get("requestsPerSecond"), (double) figures.get("p50Ms"),
                        (double) figures.get("p99Ms"), phase.failed().get(), figures.get("appMicros"),
                        figures.get("postgresMicros"), figures.get("harnessMicros"), figures.get("machineBusyPercent"));
                long[] sum = totals.computeIfAbsent(mode, k -> new long[6]);
                sum[0] += ok;
                sum[1] += nanos;
                if (before != null && after != null) {
                    sum[2] += after.appTicks() - before.appTicks();
                    sum[3] += after.postgresTicks() - before.postgresTicks();
                    sum[4] += after.harnessTicks() - before.harnessTicks();
                }
                sum[5] += phase.failed().get();
                merged.computeIfAbsent(mode, k -> Load.histogram()).add(phase.latencies());
            }
        }
        current.set(stop);
        for (Thread thread : threads) {
            thread.join();
        }
        Map<String, Object> modes = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> entry : totals.entrySet()) {
            long[] sum = entry.getValue();
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("ok", sum[0]);
            figures.put("failed", sum[5]);
            figures.put("requestsPerSecond", Math.round(sum[0] / (sum[1] / 1e9) * 10) / 10.0);
            figures.putAll(Load.percentiles(merged.get(entry.getKey())));
            figures.put("appMicros", sum[0] == 0 ? null : Math.round(sum[2] * 10_000.0 / sum[0] * 10) / 10.0);
            figures.put("postgresMicros", sum[0] == 0 ? null : Math.round(sum[3] * 10_000.0 / sum[0] * 10) / 10.0);
            figures.put("harnessMicros", sum[0] == 0 ? null : Math.round(sum[4] * 10_000.0 / sum[0] * 10) / 10.0);
            modes.put(entry.getKey(), figures);
        }
        result.put("phases", phases);
        result.put("modes", modes);
        Double anonymous = Report.number(modes.get("anonymous"), "appMicros");
        Double token = Report.number(modes.get("token"), "appMicros");
        Double difference = anonymous == null || token == null ? null : Math.round((token - anonymous) * 10) / 10.0;
        result.put("tokenMinusAnonymousAppMicrosPerRequest", difference);
        // the same difference per round, for how far it moves between neighbouring phases
        List<Double> perRound = new ArrayList<>();
        for (int i = 0; i + 1 < phases.size(); i += 2) {
            Double a = Report.number(phases.get(i), "appMicros");
            Double b = Report.number(phases.get(i + 1), "appMicros");
            perRound.add(a == null || b == null ? null : Math.round((b - a) * 10) / 10.0);
        }
        result.put("tokenMinusAnonymousAppMicrosPerRound", perRound);
        // each B against the mean of the A phases either side of it: a linear drift cancels
        List<Double> bracketed = new ArrayList<>();
        for (int i = 1; i + 1 < phases.size(); i += 2) {
            Double before = Report.number(phases.get(i - 1), "appMicros");
            Double b = Report.number(phases.get(i), "appMicros");
            Double after = Report.number(phases.get(i + 1), "appMicros");
            bracketed.add(before == null || b == null || after == null ? null
                    : Math.round((b - (before + after) / 2) * 10) / 10.0);
        }
        result.put("tokenMinusNeighbouringAnonymousAppMicros", bracketed);
        System.out.printf("token validation: Orderly CPU per request %s µs without a token, %s µs with one: %s µs more "
                + "(per round: %s; each B against the A either side: %s); requests/s %s vs %s%n", anonymous, token,
                difference, perRound, bracketed,
                Report.number(modes.get("anonymous"), "requestsPerSecond"), Report.number(modes.get("token"), "requestsPerSecond"));
        return result;
    }

    /** CPU microseconds per operation between two snapshots (ticks of 10 ms), finer than {@link CpuTime#perOperation}. */
    private static Map<String, Object> cpuMicros(CpuTime before, CpuTime after, long operations) {
        Map<String, Object> result = new LinkedHashMap<>();
        if (before == null || after == null || operations == 0) {
            return result;
        }
        result.put("appMicros", Math.round((after.appTicks() - before.appTicks()) * 10_000.0 / operations * 10) / 10.0);
        result.put("postgresMicros", Math.round((after.postgresTicks() - before.postgresTicks()) * 10_000.0 / operations * 10) / 10.0);
        result.put("harnessMicros", Math.round((after.harnessTicks() - before.harnessTicks()) * 10_000.0 / operations * 10) / 10.0);
        long total = after.machineTotalTicks() - before.machineTotalTicks();
        result.put("machineBusyPercent", total == 0 ? null
                : Math.round(1000.0 * (after.machineBusyTicks() - before.machineBusyTicks()) / total) / 10.0);
        return result;
    }
}
