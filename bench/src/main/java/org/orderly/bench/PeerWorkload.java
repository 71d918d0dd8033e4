package org.orderly.bench;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Workload {@code peer}: the same registration load on the peer (module bench-peer: the same registration flow on
 * Axon's defaults), started as its own process against Orderly's PostgreSQL server in a database {@code peer},
 * at the same client counts while Orderly idles; then the peer stops so that it takes no CPU from the remaining
 * workloads. Ratios are Orderly / peer.
 */
final class PeerWorkload {

    private final Settings settings;
    private final OrderlyProcess orderly;
    private final Http http;
    private final int port = Processes.freePort();
    private Process peer;

    PeerWorkload(Settings settings, OrderlyProcess orderly, Http http) {
        this.settings = settings;
        this.orderly = orderly;
        this.http = http;
    }

    /**
     * @param orderlyCommands   Orderly's closed-loop runs of this benchmark ({@code register-<clients>})
     * @param orderlySustained  Orderly's sustained-rate probes of registrations, or {@code null}
     */
    Map<String, Object> run(Map<String, Object> orderlyCommands, Map<?, ?> orderlySustained) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        Path peerJar = settings.peerJar();
        if (!Files.isReadable(peerJar)) {
            System.out.println("PEER SKIPPED: " + peerJar + " not found (build module bench-peer)");
            result.put("skipped", peerJar + " not found (build module bench-peer)");
            return result;
        }
        try {
            result.put("bootToReadyMs", start());
            Map<String, Object> runs = new LinkedHashMap<>();
            Map<String, Object> ratios = new LinkedHashMap<>();
            for (int clients : settings.clients()) {
                Map<String, Object> run = CommandLoad.run(settings, "peer registrations", clients, this::register,
                        new CommandLoad.Subject(peer, orderly, Statements.PEER, this::projectionLag),
                        "customer-summaries", this::projectionLag, null, null);
                runs.put("register-" + clients, run);
                Map<?, ?> ours = (Map<?, ?>) orderlyCommands.get("register-" + clients);
                if (ours == null) {
                    continue; // Orderly's registrations were not run: no ratio
                }
                Map<String, Object> ratio = new LinkedHashMap<>();
                ratio.put("throughput", ratio((double) ours.get("throughputPerSecond"),
                        (double) run.get("throughputPerSecond")));
                ratio.put("p50", ratio((double) ours.get("p50Ms"), (double) run.get("p50Ms")));
                ratio.put("p99", ratio((double) ours.get("p99Ms"), (double) run.get("p99Ms")));
                ratios.put(Integer.toString(clients), ratio);
                System.out.printf("Orderly/peer at %3d clients: throughput %sx  p99 %sx%n", clients,
                        ratio.get("throughput"), ratio.get("p99"));
            }
            result.put("commandsOverHttp", runs);
            result.put("orderlyOverPeer", ratios);
            result.put("residentMemoryMb", Processes.residentMemoryMb(peer));
            // The closed loops leave the peer's projection far behind (Axon's default tracking processor handles a
            // small share of what the commands append), so its sustained rate is probed on a fresh peer and database,
            // warmed up at its one-client rate first.
            if (settings.skipSustained()) {
                return result; // quicker A/B runs: the closed loops only, as for Orderly
            }
            double peerMax = runs.values().stream()
                    .mapToDouble(r -> (double) ((Map<?, ?>) r).get("throughputPerSecond")).max().orElse(0);
            double peerOneClient = (double) ((Map<?, ?>) runs.values().iterator().next()).get("throughputPerSecond");
            stop();
            start();
            Load.openLoop(peerOneClient, System.nanoTime() + settings.warmup().toNanos(), 30,
                    scheduled -> register());
            ReadModels.awaitBacklog(this::projectionLag, 300);
            Map<String, Object> sustained = SustainedRate.probe("peer registrations, read model current", peerMax,
                    peerMax, settings.probeSeconds(), this::register, this::projectionLag,
                    () -> ReadModels.awaitBacklog(this::projectionLag, 300));
            result.put("registrationsSustained", sustained);
            if (orderlySustained != null) {
                Double ratio = ratio((double) orderlySustained.get("maxSustainedPerSecond"),
                        (double) sustained.get("maxSustainedPerSecond"));
                result.put("orderlyOverPeerSustained", ratio);
                System.out.printf("Orderly/peer sustained (read models current): %sx%n", ratio);
            }
        } catch (Exception e) {
            // Orderly's own figures still count; the report says why the comparison is missing.
            System.out.println("PEER FAILED: " + e);
            result.put("failed", e.toString());
        } finally {
            stop();
        }
        return result;
    }

    /** Starts the peer on a fresh database {@code peer}; returns the time to ready. */
    private long start() throws Exception {
        try (Connection c = orderly.postgres(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS peer");
            s.execute("CREATE DATABASE peer");
        }
        long start = System.nanoTime();
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(settings.jvmOptions());
        command.addAll(List.of("-jar", settings.peerJar().toString(), "--server.port=" + port,
                "--spring.datasource.url=jdbc:postgresql://localhost:" + orderly.pgPort() + "/peer",
                "--spring.datasource.username=postgres",
                "--logging.level.root=WARN"));
        ProcessBuilder builder = new ProcessBuilder(command);
        // From the environment, not the command line, which any local user can list.
        builder.environment().put("SPRING_DATASOURCE_PASSWORD", orderly.superuserPassword());
        Path log = settings.out().resolve("peer.log");
        peer = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = start + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            if (!peer.isAlive()) {
                throw new IllegalStateException("the peer exited during start; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the peer was not ready within 120 s; see " + log);
            }
            try {
                if (http.get(port, "/api/customers/" + UUID.randomUUID()).statusCode() == 404) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                }
            } catch (UncheckedIOException notYet) {
                // still starting
            }
            Thread.sleep(20);
        }
    }

    /** Stops the peer if it runs; the harness calls it on its way out too. */
    void stop() throws InterruptedException {
        Processes.stop(peer, 30);
    }

    /** A registration without credentials: the peer has no security. */
    private Response register() {
        return http.post(port, "/api/customers", "{\"email\": \"p-" + UUID.randomUUID()
                + "@example.com\", \"name\": \"Bench\"}", null);
    }

    /**
     * Events the peer's tracking processor has still to handle. Approximate: Hibernate's sequence hands out
     * global indexes in blocks, so gaps count as lag.
     */
    private long projectionLag() {
        try (Connection c = orderly.postgres("peer"); Statement s = c.createStatement()) {
            long head;
            try (ResultSet rs = s.executeQuery("SELECT coalesce(max(global_index), 0) FROM domain_event_entry")) {
                rs.next();
                head = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery(
                    "SELECT token FROM token_entry WHERE processor_name = 'customer-summaries' AND token IS NOT NULL")) {
                long position = rs.next() ? ReadModels.tokenPosition(rs.getBytes(1)) : 0;
                return Math.max(0, head - position);
            }
        } catch (Exception e) {
            return -1;
        }
    }

    private static Double ratio(double orderly, double peer) {
        return peer == 0 ? null : Math.round(orderly / peer * 100) / 100.0;
    }
}
