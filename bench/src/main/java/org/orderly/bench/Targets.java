package org.orderly.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The performance targets Orderly is held to, each with this run's figure from the report: met, not met, or not
 * measured (met {@code null}). A figure measured at a set rather than a measured rate is reported but not judged.
 */
final class Targets {

    private Targets() {
    }

    /** The target rows of {@code report}, whose closed loops ran at {@code clientCounts}. */
    static List<Map<String, Object>> of(Map<String, Object> report, List<Integer> clientCounts) {
        List<Map<String, Object>> targets = new ArrayList<>();
        Map<?, ?> commands = report.get("commandsOverHttp") instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> peer = report.get("peer") instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> peerRuns = peer.get("commandsOverHttp") instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> pg = report.get("pgbench") instanceof Map<?, ?> m ? m : Map.of();
        List<Integer> loaded = clientCounts.stream().filter(c -> c >= 16 && c <= 64).toList();

        List<String> peerFigures = new ArrayList<>();
        Boolean peerMet = loaded.isEmpty() ? null : true;
        List<String> pgFigures = new ArrayList<>();
        Boolean pgMet = loaded.isEmpty() ? null : true;
        for (int clients : loaded) {
            Double ours = number(commands.get("register-" + clients), "throughputPerSecond");
            Double theirs = number(peerRuns.get("register-" + clients), "throughputPerSecond");
            Object single = pg.get("singleRowTps-" + clients);
            if (ours == null || theirs == null || theirs == 0) {
                peerMet = null;
            } else {
                peerFigures.add(clients + " clients " + round2(ours / theirs) + "x (" + ours + " vs " + theirs + "/s)");
                peerMet = peerMet != null && peerMet && ours >= 2 * theirs;
            }
            if (ours == null || !(single instanceof Number tps)) {
                pgMet = null;
            } else {
                pgFigures.add(clients + " clients " + round2(ours / tps.doubleValue()) + "x (" + ours + " vs "
                        + Math.round(tps.doubleValue()) + " TPS)");
                pgMet = pgMet != null && pgMet && ours >= 0.4 * tps.doubleValue();
            }
        }
        target(targets, "commands over HTTP, 16-64 clients: registration throughput >= 2x the peer's",
                String.join("; ", peerFigures), peerFigures.size() == loaded.size() ? peerMet : null);
        Map<?, ?> oursSustained = report.get("registrationsSustained") instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> theirsSustained = peer.get("registrationsSustained") instanceof Map<?, ?> m ? m : Map.of();
        Double sustainedOurs = number(oursSustained, "maxSustainedPerSecond");
        Double sustainedTheirs = number(theirsSustained, "maxSustainedPerSecond");
        target(targets, "commands over HTTP: sustained registrations (every read model keeping up) >= 1.5x the peer's",
                sustainedOurs == null || sustainedTheirs == null ? "" : (sustainedTheirs == 0 ? "peer sustained none"
                        : round2(sustainedOurs / sustainedTheirs) + "x") + " (" + sustainedOurs + " vs " + sustainedTheirs + "/s)",
                sustainedOurs == null || sustainedTheirs == null ? null : sustainedOurs >= 1.5 * sustainedTheirs);
        cpuAgainstPeer(targets, loaded, commands, peerRuns);
        Double ourP99 = number(commands.get("register-16"), "p99Ms");
        Double theirP99 = number(peerRuns.get("register-16"), "p99Ms");
        target(targets, "registrations at 16 clients: p99 <= the peer's", ourP99 == null || theirP99 == null ? ""
                : ourP99 + " vs " + theirP99 + " ms", ourP99 == null || theirP99 == null ? null : ourP99 <= theirP99);
        target(targets, "commands over HTTP, 16-64 clients: registration throughput >= 0.4x pgbench single-row TPS, same clients",
                String.join("; ", pgFigures), pgFigures.size() == loaded.size() ? pgMet : null);
        Double registerP99 = number(commands.get("register-16"), "p99Ms");
        Double orderP99 = number(commands.get("order-16"), "p99Ms");
        List<String> p99 = new ArrayList<>();
        if (registerP99 != null) {
            p99.add("registration " + registerP99 + " ms");
        }
        if (orderP99 != null) {
            p99.add("order placement " + orderP99 + " ms");
        }
        target(targets, "commands over HTTP: p99 <= 50 ms at 16 clients", String.join("; ", p99),
                p99.isEmpty() ? null : (registerP99 == null || registerP99 <= 50) && (orderP99 == null || orderP99 <= 50));

        List<String> lagFigures = new ArrayList<>();
        Boolean lagMet = null;
        for (Object run : commands.values()) {
            if (run instanceof Map<?, ?> r && r.get("lagAtFullLoad") instanceof Map<?, ?> v) {
                lagFigures.add(r.get("workload") + " at " + r.get("clients") + " clients, " + v.get("processor")
                        + ": first third " + v.get("firstThirdMean") + ", last third " + v.get("lastThirdMean")
                        + " events, max " + v.get("max") + ", drained in " + (v.get("drainMs") == null ? "no" : v.get("drainMs")) + " ms");
                lagMet = (lagMet == null || lagMet) && Boolean.TRUE.equals(v.get("bounded"));
            }
        }
        target(targets, "projections: bounded lag at full load", String.join("; ", lagFigures), lagMet);
        Double freshness = number(report.get("freshnessAtHalfLoad"), "p99Ms");
        boolean freshnessAtHalf = report.get("freshnessAtHalfLoad") instanceof Map<?, ?> f
                && Boolean.TRUE.equals(f.get("halfOfMeasuredMaximum"));
        Double targetRate = number(report.get("freshnessAtHalfLoad"), "targetRatePerSecond");
        Double achievedRate = number(report.get("freshnessAtHalfLoad"), "registeredPerSecond");
        Double unseen = number(report.get("freshnessAtHalfLoad"), "notVisibleWithin10s");
        Double failedRegistrations = number(report.get("freshnessAtHalfLoad"), "failedRegistrations");
        boolean rateKept = targetRate != null && achievedRate != null && achievedRate >= 0.95 * targetRate;
        target(targets, "projections: freshness p99 <= 100 ms at 50% load", freshness == null ? ""
                : freshness + " ms at " + achievedRate + "/s of " + targetRate + "/s scheduled"
                + (unseen != null && unseen > 0 ? ", " + unseen.longValue() + " not visible within 10 s" : "")
                + (failedRegistrations != null && failedRegistrations > 0
                        ? ", " + failedRegistrations.longValue() + " registrations failed" : "")
                + (freshnessAtHalf ? "" : " (a set rate, not half the measured sustained maximum: not judged)")
                + (rateKept ? "" : " (the rate was not kept: not met)"),
                freshness == null || !freshnessAtHalf ? null
                        : freshness <= 100 && rateKept && (unseen == null || unseen == 0)
                                && (failedRegistrations == null || failedRegistrations == 0));

        Map<?, ?> rebuild = report.get("rebuild") instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> replay = rebuild.get("replay") instanceof Map<?, ?> m ? m : Map.of();
        Double eventsPerSecond = number(replay, "eventsPerSecond");
        Double events = number(replay, "eventsReplayed");
        Double seconds = number(replay, "secondsToCompletion");
        Double overPg = number(rebuild, "replayOverPgbenchHundredRow");
        target(targets, "rebuild: >= 30,000 events/s", eventsPerSecond == null ? "" : Math.round(eventsPerSecond) + " events/s",
                eventsPerSecond == null ? null : eventsPerSecond >= 30_000);
        target(targets, "rebuild: >= 0.8x pgbench 100-row rows/s, same run", overPg == null ? ""
                : overPg + "x (" + rebuild.get("pgbenchHundredRowRowsPerSecond") + " rows/s)", overPg == null ? null : overPg >= 0.8);
        boolean million = events != null && events >= 1_000_000;
        Double firstMillion = number(replay, "secondsToFirstMillionCustomerEvents");
        target(targets, "rebuild: 1,000,000 events in under 40 s", events == null || seconds == null ? ""
                : String.format("%,.0f events in %.1f s%s%s", events, seconds,
                        firstMillion == null ? "" : String.format(", the first 1,000,000 customer events in %.1f s", firstMillion),
                        million ? "" : " (fewer than 1,000,000: not judged)"),
                !million || seconds == null ? null : (firstMillion != null ? firstMillion : seconds) < 40);
        Double fulfilment = number(report.get("fulfilmentAtHalfLoad"), "p99Ms");
        Double confirmedOrders = number(report.get("fulfilmentAtHalfLoad"), "confirmed");
        // An order never confirmed has no latency to rank: any such order fails the target outright.
        Double unconfirmedOrders = number(report.get("fulfilmentAtHalfLoad"), "notConfirmedWithin30sAfterTheRun");
        boolean fulfilmentAtHalf = report.get("fulfilmentAtHalfLoad") instanceof Map<?, ?> f
                && Boolean.TRUE.equals(f.get("halfOfMeasuredMaximum"));
        target(targets, "placement -> CONFIRMED p99 <= 250 ms at 50% load", fulfilment == null ? ""
                : fulfilment + " ms (p50 " + number(report.get("fulfilmentAtHalfLoad"), "p50Ms") + " ms) at "
                + number(report.get("fulfilmentAtHalfLoad"), "targetRatePerSecond") + "/s"
                + (report.get("fulfilmentAtHalfLoad") instanceof Map<?, ?> f && f.get("sustainedOrderRate") instanceof Map<?, ?> r
                        ? " (half the " + r.get("maxSustainedPerSecond") + "/s the order saga sustains; closed-loop placements "
                        + r.get("closedLoopMaximumPerSecond") + "/s)" : "")
                + (fulfilmentAtHalf ? "" : " (a set rate, not half the measured sustained maximum: not judged)"),
                // No order confirmed means no latency at all, not a latency of 0 ms.
                fulfilment == null || !fulfilmentAtHalf ? null
                        : fulfilment <= 250 && confirmedOrders != null && confirmedOrders > 0
                        && unconfirmedOrders != null && unconfirmedOrders == 0);
        Object boot = report.get("bootToReadyMs");
        Object fatJar = report.get("boot") instanceof Map<?, ?> b ? b.get("fatJarMs") : null;
        target(targets, "boot to ready <= 10 s", boot == null ? "" : boot + " ms, extracted jar with class-data "
                        + "sharing (fat jar alone: " + fatJar + " ms)",
                boot instanceof Number b ? b.longValue() <= 10_000 : null);
        Object rss = report.get("residentMemoryMb");
        target(targets, "resident memory <= 768 MB at steady load", rss == null ? "" : rss + " MB",
                rss instanceof Number r && r.longValue() > 0 ? r.longValue() <= 768 : null);
        return targets;
    }

    /**
     * CPU per registration, application + PostgreSQL, counted until every read model is current (the closed loop's
     * window and the work its projections did after it), against the peer's counted the same way.
     */
    private static void cpuAgainstPeer(List<Map<String, Object>> targets, List<Integer> loaded, Map<?, ?> commands,
                                       Map<?, ?> peerRuns) {
        List<String> figures = new ArrayList<>();
        Boolean met = loaded.isEmpty() ? null : true;
        for (int clients : loaded) {
            Double ours = systemCpu(commands.get("register-" + clients));
            Double theirs = systemCpu(peerRuns.get("register-" + clients));
            if (ours == null || theirs == null || theirs == 0) {
                met = null;
                break;
            }
            figures.add(clients + " clients " + round2(ours / theirs) + "x (" + round2(ours) + " vs " + round2(theirs) + " ms)");
            met = met && ours <= theirs;
        }
        target(targets, "registrations, 16-64 clients: CPU ms/op (application + PostgreSQL, until every read model is "
                + "current) <= the peer's", String.join("; ", figures), met);
    }

    /** Application + PostgreSQL CPU per operation until the read models were current; {@code null} if they never were. */
    private static Double systemCpu(Object run) {
        if (!(run instanceof Map<?, ?> r) || !(r.get("caughtUp") instanceof Map<?, ?> caughtUp)
                || !Boolean.TRUE.equals(caughtUp.get("current"))) {
            return null;
        }
        Double app = number(caughtUp.get("cpuPerOperation"), "appMs");
        Double postgres = number(caughtUp.get("cpuPerOperation"), "postgresMs");
        return app == null || postgres == null ? null : app + postgres;
    }

    private static void target(List<Map<String, Object>> targets, String target, String measured, Boolean met) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("target", target);
        row.put("measured", measured == null || measured.isEmpty() ? "not measured" : measured);
        row.put("met", met);
        targets.add(row);
    }

    private static Double number(Object map, String key) {
        return Report.number(map, key);
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
