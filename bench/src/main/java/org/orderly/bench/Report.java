package org.orderly.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report of a run: every workload's figures in one map, in the order they were measured, written under
 * {@code bench.out} as JSON (all of it) and as markdown (tables of the closed loops, the peer and the token
 * validation, the other workloads' figures inline, and the targets), both named {@code report-<time>}.
 */
final class Report {

    private final Map<String, Object> figures = new LinkedHashMap<>();

    void put(String key, Object value) {
        figures.put(key, value);
    }

    Object get(String key) {
        return figures.get(key);
    }

    Map<String, Object> figures() {
        return figures;
    }

    /** A number in a map of figures, or {@code null} when there is none. */
    static Double number(Object map, String key) {
        return map instanceof Map<?, ?> m && m.get(key) instanceof Number n ? n.doubleValue() : null;
    }

    /** Writes {@code report-<time>.json} and {@code report-<time>.md} under {@code out}. */
    void write(Path out) throws IOException {
        Files.createDirectories(out);
        String stamp = Instant.now().toString().replace(":", "-");
        Files.writeString(out.resolve("report-" + stamp + ".json"), Http.JSON.writeValueAsString(figures));
        Files.writeString(out.resolve("report-" + stamp + ".md"), markdown());
        System.out.println("Report written to " + out.resolve("report-" + stamp + ".md"));
    }

    private String markdown() {
        StringBuilder md = new StringBuilder("# Orderly benchmark, " + figures.get("startedAt") + "\n\n");
        md.append("Machine: `").append(figures.get("machine")).append("`  \nPostgreSQL: `").append(figures.get("postgres"))
                .append("`  \nSettings: `").append(figures.get("settings")).append("`\n\n");
        if (figures.get("cluster") instanceof Map<?, ?> cluster) {
            md.append(ClusterWorkload.markdown(cluster)).append("\n");
        }
        if (!figures.containsKey("bootToReadyMs")) {
            return md.toString(); // the cluster workload alone: none of the all-in-one application's figures follow
        }
        md.append("Boot to ready: ").append(figures.get("bootToReadyMs")).append(" ms  \nBoot: `").append(figures.get("boot"))
                .append("`  \n");
        md.append("Resident memory after load: ").append(figures.get("residentMemoryMb")).append(" MB\n\n");
        md.append("| workload | clients | ok/s | p50 ms | p99 ms | p99.9 ms | max ms | failed | CPU ms/op: app + PostgreSQL + harness "
                + "(machine busy) | CPU ms/op with its read models' work, until current |\n|---|---|---|---|---|---|---|---|---|---|\n");
        commands(md);
        peer(md);
        tokenValidation(md);
        md.append("\nFreshness at half the maximum sustained registration rate: `").append(figures.get("freshnessAtHalfLoad"))
                .append("`\n\nPlacement to CONFIRMED at half the maximum order rate: `")
                .append(figures.get("fulfilmentAtHalfLoad")).append("`\n\npgbench on the same server: `")
                .append(figures.get("pgbench")).append("`\n");
        checkout(md);
        statements(md);
        lagAtFullLoad(md);
        rebuild(md);
        targets(md);
        return md.toString();
    }

    /** The checkout flow per client count (its throughput is among the closed loops) and its sustained rate. */
    private void checkout(StringBuilder md) {
        if (!(figures.get("checkout") instanceof Map<?, ?> checkout)) {
            return;
        }
        md.append("\n## Checkout (open cart, three lines, checkout, addresses, shipping method, confirm)\n\n")
                .append("| clients | checkouts/s | flow to CONFIRMED p50 ms | p99 ms | confirmation call p50 ms | p99 ms "
                        + "| confirm -> CONFIRMED (order history) p50 ms | p95 ms | p99 ms | seen in query endpoint p99 ms "
                        + "| failed |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        if (checkout.get("closedLoops") instanceof Map<?, ?> runs) {
            for (Map.Entry<?, ?> entry : runs.entrySet()) {
                Map<?, ?> run = (Map<?, ?>) entry.getValue();
                Object call = run.get("confirmationCall");
                Object history = run.get("confirmToConfirmedByHistory");
                md.append("| ").append(entry.getKey()).append(" | ").append(run.get("throughputPerSecond"))
                        .append(" | ").append(run.get("p50Ms")).append(" | ").append(run.get("p99Ms"))
                        .append(" | ").append(number(call, "p50Ms")).append(" | ").append(number(call, "p99Ms"))
                        .append(" | ").append(number(history, "p50Ms")).append(" | ").append(number(history, "p95Ms"))
                        .append(" | ").append(number(history, "p99Ms")).append(" | ")
                        .append(number(run.get("confirmToConfirmedSeenInOrderQueryEndpoint"), "p99Ms"))
                        .append(" | ").append(run.get("failed")).append(" |\n");
            }
        }
        md.append("\nSustained checkout rate (open-loop probes; the order saga keeps up): ")
                .append(checkout.get("sustainedCheckoutRate") instanceof Map<?, ?> sustained
                        ? sustained.get("maxSustainedPerSecond") + "/s" : "not measured").append("\n");
    }

    /** One row per closed-loop run of Orderly. */
    private void commands(StringBuilder md) {
        if (figures.get("commandsOverHttp") instanceof Map<?, ?> runs) {
            for (Object value : runs.values()) {
                Map<?, ?> run = (Map<?, ?>) value;
                md.append("| ").append(run.get("workload")).append(" | ").append(run.get("clients")).append(" | ")
                        .append(run.get("throughputPerSecond")).append(" | ").append(run.get("p50Ms")).append(" | ")
                        .append(run.get("p99Ms")).append(" | ").append(run.get("p999Ms")).append(" | ")
                        .append(run.get("maxMs")).append(" | ").append(run.get("failed")).append(" | ")
                        .append(cpuCell(run)).append(" | ").append(caughtUpCell(run)).append(" |\n");
            }
        }
    }

    /** The peer's runs beside Orderly's, and the sustained rates of both. */
    private void peer(StringBuilder md) {
        if (figures.get("peer") instanceof Map<?, ?> peerReport) {
            md.append("\n## Peer (Axon's defaults, module bench-peer), same run\n\n");
            if (peerReport.get("commandsOverHttp") instanceof Map<?, ?> runs) {
                md.append("Boot to ready: ").append(peerReport.get("bootToReadyMs")).append(" ms  \nResident memory after load: ")
                        .append(peerReport.get("residentMemoryMb")).append(" MB\n\n");
                md.append("| clients | peer ok/s | peer p50 ms | peer p99 ms | peer p99.9 ms | peer max ms | failed "
                        + "| Orderly/peer throughput | Orderly/peer p99 | peer CPU ms/op: app + PostgreSQL + harness (machine busy) "
                        + "| peer CPU ms/op until its read model is current |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
                Map<?, ?> ratios = (Map<?, ?>) peerReport.get("orderlyOverPeer");
                for (Object value : runs.values()) {
                    Map<?, ?> run = (Map<?, ?>) value;
                    Map<?, ?> ratio = (Map<?, ?>) ratios.get(String.valueOf(run.get("clients")));
                    md.append("| ").append(run.get("clients")).append(" | ").append(run.get("throughputPerSecond"))
                            .append(" | ").append(run.get("p50Ms")).append(" | ").append(run.get("p99Ms")).append(" | ")
                            .append(run.get("p999Ms")).append(" | ").append(run.get("maxMs")).append(" | ")
                            .append(run.get("failed")).append(" | ").append(ratio == null ? null : ratio.get("throughput"))
                            .append(" | ").append(ratio == null ? null : ratio.get("p99")).append(" | ")
                            .append(cpuCell(run)).append(" | ").append(caughtUpCell(run)).append(" |\n");
                }
            }
            if (peerReport.get("registrationsSustained") instanceof Map<?, ?> theirs) {
                md.append("\nSustained registrations (open-loop probes; every read model the registration feeds keeps up): "
                        + "Orderly ").append(figures.get("registrationsSustained") instanceof Map<?, ?> ours
                        ? ours.get("maxSustainedPerSecond") : null).append("/s, peer ").append(theirs.get("maxSustainedPerSecond"))
                        .append("/s, Orderly/peer ").append(peerReport.get("orderlyOverPeerSustained")).append("x\n\n");
            }
            if (peerReport.containsKey("failed") || peerReport.containsKey("skipped")) {
                md.append("Peer not measured: `").append(peerReport.containsKey("failed") ? peerReport.get("failed")
                        : peerReport.get("skipped")).append("`\n");
            }
        }
    }

    /** Each phase of the token validation workload, both modes summed, and B - A. */
    private void tokenValidation(StringBuilder md) {
        if (figures.get("tokenValidation") instanceof Map<?, ?> token) {
            md.append("\n## Token validation: GET /api/products/{id} (public) without (A) and with (B) a staff bearer token\n\n")
                    .append(token.get("clients")).append(" clients, closed loop, after ").append(token.get("warmupSeconds"))
                    .append(" s of warm-up ").append(token.get("rounds"))
                    .append(" rounds of A then B, ").append(token.get("phaseSeconds")).append(" s each; a forged token on "
                            + "the same path answered ").append(token.get("forgedTokenOnPublicPathStatus")).append("\n\n")
                    .append("| round | mode | requests/s | p50 ms | p99 ms | failed | CPU µs/request: Orderly + PostgreSQL "
                            + "+ harness (machine busy) |\n|---|---|---|---|---|---|---|\n");
            List<Object> rows = new ArrayList<>((List<?>) token.get("phases"));
            if (token.get("modes") instanceof Map<?, ?> modes) {
                modes.forEach((mode, figures) -> {
                    Map<Object, Object> row = new LinkedHashMap<>((Map<?, ?>) figures);
                    row.put("round", "all");
                    row.put("mode", mode);
                    rows.add(row);
                });
            }
            for (Object value : rows) {
                Map<?, ?> row = (Map<?, ?>) value;
                md.append("| ").append(row.get("round")).append(" | ").append(row.get("mode")).append(" | ")
                        .append(row.get("requestsPerSecond")).append(" | ").append(row.get("p50Ms")).append(" | ")
                        .append(row.get("p99Ms")).append(" | ").append(row.get("failed")).append(" | ")
                        .append(row.get("appMicros")).append(" + ").append(row.get("postgresMicros")).append(" + ")
                        .append(row.get("harnessMicros"))
                        .append(row.get("machineBusyPercent") == null ? "" : " (" + row.get("machineBusyPercent") + " %)")
                        .append(" |\n");
            }
            md.append("\nB - A, Orderly CPU per request: **").append(token.get("tokenMinusAnonymousAppMicrosPerRequest"))
                    .append(" µs** (per round: ").append(token.get("tokenMinusAnonymousAppMicrosPerRound"))
                    .append("; each B against the mean of the A before and after it: ")
                    .append(token.get("tokenMinusNeighbouringAnonymousAppMicros")).append(")\n");
        }
    }

    /**
     * PostgreSQL's statements per operation in each closed loop, Orderly's and the peer's: where the database's share
     * of the CPU goes.
     */
    private void statements(StringBuilder md) {
        List<Map.Entry<String, Map<?, ?>>> runs = new ArrayList<>();
        if (figures.get("commandsOverHttp") instanceof Map<?, ?> ours) {
            ours.forEach((key, run) -> runs.add(Map.entry("Orderly " + key, (Map<?, ?>) run)));
        }
        if (figures.get("peer") instanceof Map<?, ?> peerReport && peerReport.get("commandsOverHttp") instanceof Map<?, ?> theirs) {
            theirs.forEach((key, run) -> runs.add(Map.entry("peer " + key, (Map<?, ?>) run)));
        }
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Map<?, ?>> run : runs) {
            if (run.getValue().get("postgresStatements") instanceof Map<?, ?> statements && !statements.isEmpty()) {
                text.append(run.getKey()).append(" clients, the load's window\n").append(Statements.describe(statements));
            }
            if (run.getValue().get("caughtUp") instanceof Map<?, ?> caughtUp
                    && caughtUp.get("postgresStatements") instanceof Map<?, ?> statements && !statements.isEmpty()) {
                text.append(run.getKey()).append(" clients, until the read models were current\n")
                        .append(Statements.describe(statements));
            }
        }
        if (!text.isEmpty()) {
            md.append("\n## PostgreSQL statements per operation (pg_stat_statements; top ").append(Statements.TOP)
                    .append(" by execution time: share, calls, ms, rows per call)\n\n```\n").append(text).append("```\n");
        }
    }

    /** The lag verdicts of the runs at the largest client count, with their samples. */
    private void lagAtFullLoad(StringBuilder md) {
        if (figures.get("commandsOverHttp") instanceof Map<?, ?> runs) {
            for (Object value : runs.values()) {
                if (value instanceof Map<?, ?> run && run.get("lagAtFullLoad") != null) {
                    md.append("\nLag at full load, ").append(run.get("workload")).append(" at ").append(run.get("clients"))
                            .append(" clients: `").append(run.get("lagAtFullLoad")).append("`  \nsamples (events, every second): `")
                            .append(run.get("lagEventsEverySecond")).append("`\n");
                    if (run.get("pendingOrdersEverySecond") != null) {
                        md.append("  \norders still PENDING (the order saga's backlog), every second: `")
                                .append(run.get("pendingOrdersEverySecond")).append("`, after the load: ")
                                .append(run.get("pendingOrdersAfterLoad")).append("\n");
                    }
                }
            }
        }
    }

    /** The rebuild's steps; the replays without their progress samples. */
    private void rebuild(StringBuilder md) {
        if (figures.get("rebuild") instanceof Map<?, ?> rebuild) {
            md.append("\n## Rebuild\n\n");
            for (String key : List.of("insert", "liveCatchUp", "sealing", "readModel", "pgbenchHundredRowRowsPerSecond",
                    "replayOverPgbenchHundredRow", "failed")) {
                if (rebuild.get(key) != null) {
                    md.append("- ").append(key).append(": `").append(rebuild.get(key)).append("`\n");
                }
            }
            for (String key : List.of("replayBeforeSealing", "replay")) {
                if (rebuild.get(key) instanceof Map<?, ?> replay) {
                    Map<Object, Object> brief = new LinkedHashMap<>(replay);
                    brief.remove("progress");
                    md.append("- ").append(key).append(": `").append(brief).append("`\n");
                }
            }
        }
    }

    /** Every target: met, not met, or not measured. */
    private void targets(StringBuilder md) {
        if (figures.get("targets") instanceof List<?> targets) {
            md.append("\n## Targets\n\n| target | measured | met |\n|---|---|---|\n");
            for (Object value : targets) {
                Map<?, ?> row = (Map<?, ?>) value;
                Object met = row.get("met");
                md.append("| ").append(row.get("target")).append(" | ").append(row.get("measured")).append(" | ")
                        .append(met == null ? "not measured" : (Boolean) met ? "met" : "**not met**").append(" |\n");
            }
        }
    }

    /** CPU per operation until the read models were current, and whether they got there. */
    private static String caughtUpCell(Map<?, ?> run) {
        if (!(run.get("caughtUp") instanceof Map<?, ?> caughtUp)) {
            return "";
        }
        return cpuCell(caughtUp) + (Boolean.TRUE.equals(caughtUp.get("current")) ? ", current after "
                + caughtUp.get("secondsAfterLoad") + " s" : ", NOT current");
    }

    private static String cpuCell(Map<?, ?> run) {
        if (!(run.get("cpuPerOperation") instanceof Map<?, ?> cpu) || cpu.isEmpty()) {
            return "";
        }
        return cpu.get("appMs") + " + " + cpu.get("postgresMs") + " + " + cpu.get("harnessMs") + " ("
                + cpu.get("machineBusyPercent") + " %)";
    }
}
