package org.orderly.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One closed-loop run of commands over HTTP on one process (Orderly or the peer), with the lag of the projection
 * the commands feed sampled every second and, where asked, judged: bounded when the mean lag over the last third of
 * the run is no higher than over the first third plus a tolerance (half a second of the measured throughput, at
 * least 50 events), and the processor has handled every event of the load within {@code bench.drainSeconds} once
 * it stops.
 */
final class CommandLoad {

    /** Milliseconds a processor took to handle a load's last event, {@code null} if it did not in time. */
    interface Drain {
        Long await() throws InterruptedException;
    }

    private CommandLoad() {
    }

    /**
     * The system a closed loop loads.
     *
     * @param process    the application process whose CPU counts
     * @param server     the PostgreSQL server it uses, whose CPU counts too
     * @param database   its database on that server
     * @param backlog    events its read models have still to handle (0: all current), or {@code null} when the run
     *                   is not to be accounted with them caught up
     */
    record Subject(Process process, OrderlyProcess server, String database, LongSupplier backlog) {

        Statements statements() {
            return new Statements(server, database);
        }

        CpuTime cpu() {
            return CpuTime.now(process, server.postmaster());
        }
    }

    /**
     * @param subject        the system under load: its process, database and read models' backlog
     * @param processor      the projection whose lag is sampled, by {@code lag}
     * @param pendingOrders  for order placements, the orders still PENDING, sampled beside it; else {@code null}
     * @param drain          where the lag is judged (at the largest client count), how long the projection takes to
     *                       drain after the load; else {@code null}
     */
    static Map<String, Object> run(Settings settings, String name, int clients, Supplier<Response> operation,
                                   Subject subject, String processor, LongSupplier lag, LongSupplier pendingOrders,
                                   Drain drain) throws InterruptedException {
        Statements statements = subject.statements();
        List<Long> lagSamples = new ArrayList<>();
        List<Long> pendingSamples = new ArrayList<>();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("workload", name);
        result.put("clients", clients);
        // PostgreSQL's statement counters are read outside the CPU window on both sides: reading them costs CPU too.
        Statements.Snapshot[] snapshots = new Statements.Snapshot[2];
        CpuTime[] start = new CpuTime[1];
        Supplier<CpuTime> window = () -> {
            if (snapshots[0] == null) {
                snapshots[0] = statements.take();
                start[0] = subject.cpu();
                return start[0];
            }
            CpuTime end = subject.cpu();
            snapshots[1] = statements.take();
            return end;
        };
        result.putAll(Load.closedLoop(clients, operation, settings.warmup(), settings.duration(), window, () -> {
                    lagSamples.add(lag.getAsLong());
                    if (pendingOrders != null) {
                        pendingSamples.add(pendingOrders.getAsLong());
                    }
                }));
        Map<String, Object> perOperation = Statements.perOperation(snapshots[0], snapshots[1], (long) result.get("ok"));
        result.put("postgresStatements", perOperation);
        Long drainMs = drain != null ? drain.await() : null;
        if (subject.backlog() != null) {
            result.put("caughtUp", caughtUp(subject, start[0], snapshots[0], (long) result.get("ok")));
        }
        Object cpu = result.get("cpuPerOperation");
        result.put("lagProcessor", processor);
        result.put("lagEventsEverySecond", lagSamples);
        if (drain != null) {
            result.put("lagAtFullLoad", lagVerdict(processor, lagSamples, (double) result.get("throughputPerSecond"),
                    drainMs));
        }
        if (pendingOrders != null) {
            // The saga's backlog, which the orders projection's lag does not show: orders placed but neither
            // confirmed nor rejected yet. Growing through the run means placements outpace fulfilment.
            result.put("pendingOrdersEverySecond", pendingSamples);
            result.put("pendingOrdersAfterLoad", pendingOrders.getAsLong());
            System.out.printf("orders still PENDING (order saga backlog) during the run: %s; after it: %s%n",
                    pendingSamples, result.get("pendingOrdersAfterLoad"));
        }
        System.out.printf("%-24s %3d clients: %8.1f/s  p50 %6.1f ms  p99 %6.1f ms  failed %d  CPU per op %s%n", name,
                clients, (double) result.get("throughputPerSecond"), (double) result.get("p50Ms"),
                (double) result.get("p99Ms"), (long) result.get("failed"), cpu);
        System.out.print(Statements.describe(perOperation));
        return result;
    }

    /**
     * The run accounted with every read model current: CPU and statements from the start of the measured window
     * until the read models have handled the load's last event, per operation of the window. A closed loop can
     * outrun a projection and leave its work for later; this counts that work too, which is what an operation
     * costs the system whole.
     */
    private static Map<String, Object> caughtUp(Subject subject, CpuTime cpuStart, Statements.Snapshot statementsStart,
                                                long operations) throws InterruptedException {
        Map<String, Object> caughtUp = new LinkedHashMap<>();
        double seconds = ReadModels.awaitBacklog(subject.backlog(), 300);
        boolean current = subject.backlog().getAsLong() == 0;
        CpuTime end = subject.cpu();
        Map<String, Object> statements = Statements.perOperation(statementsStart, subject.statements().take(), operations);
        caughtUp.put("secondsAfterLoad", seconds);
        caughtUp.put("current", current);
        caughtUp.put("cpuPerOperation", CpuTime.perOperation(cpuStart, end, operations));
        caughtUp.put("postgresStatements", statements);
        System.out.printf("  read models %s %.1f s after the load; with their work, CPU per op %s%n",
                current ? "current" : "NOT current", seconds, caughtUp.get("cpuPerOperation"));
        System.out.print(Statements.describe(statements));
        return caughtUp;
    }

    private static Map<String, Object> lagVerdict(String processor, List<Long> samples, double throughput, Long drainMs) {
        Map<String, Object> verdict = new LinkedHashMap<>();
        verdict.put("processor", processor);
        List<Long> valid = samples.stream().filter(v -> v >= 0).toList();
        int third = Math.max(1, valid.size() / 3);
        double first = valid.isEmpty() ? 0 : valid.subList(0, Math.min(third, valid.size())).stream()
                .mapToLong(Long::longValue).average().orElse(0);
        double last = valid.isEmpty() ? 0 : valid.subList(Math.max(0, valid.size() - third), valid.size()).stream()
                .mapToLong(Long::longValue).average().orElse(0);
        double tolerance = Math.max(50, throughput / 2);
        verdict.put("samples", valid.size());
        verdict.put("min", valid.stream().mapToLong(Long::longValue).min().orElse(-1));
        verdict.put("mean", Math.round(valid.stream().mapToLong(Long::longValue).average().orElse(-1)));
        verdict.put("max", valid.stream().mapToLong(Long::longValue).max().orElse(-1));
        verdict.put("firstThirdMean", Math.round(first));
        verdict.put("lastThirdMean", Math.round(last));
        verdict.put("tolerance", Math.round(tolerance));
        verdict.put("drainMs", drainMs);
        boolean bounded = !valid.isEmpty() && last <= first + tolerance && drainMs != null;
        verdict.put("bounded", bounded);
        System.out.printf("lag of %s at full load: first third %.0f, last third %.0f, max %s, drained in %s ms: %s%n",
                processor, first, last, verdict.get("max"), drainMs, bounded ? "bounded" : "NOT bounded");
        return verdict;
    }
}
