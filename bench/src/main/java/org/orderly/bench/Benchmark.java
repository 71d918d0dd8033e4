package org.orderly.bench;

import java.nio.file.Files;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The benchmark harness: starts Orderly as its own process on a fresh embedded PostgreSQL (fsync and
 * synchronous_commit on), drives it over HTTP from this process, and writes a markdown and a JSON report under
 * {@code bench/results/} ({@link Report}) that ends with every target, met or not ({@link Targets}). Settings are
 * system properties ({@link Settings}; {@code bench/run.sh} passes its {@code BENCH_*} variables as such).
 *
 * <p>Workloads, in this order, each optional through {@code bench.workloads} (all but {@code cluster} by default):
 * {@code register} ({@link RegistrationWorkload}), {@code peer} ({@link PeerWorkload}: the same registrations on a
 * peer on Axon's defaults, which is stopped before the remaining workloads), {@code token}
 * ({@link TokenValidationWorkload}), {@code freshness} ({@link FreshnessWorkload}), {@code order} at the first
 * client count ({@link OrderWorkload}), {@code fulfilment} ({@link FulfilmentWorkload}), {@code checkout}
 * ({@link CheckoutWorkload}), {@code pgbench}
 * ({@link PgbenchWorkload}), {@code rebuild} ({@link RebuildWorkload}), and last {@code order} at the other client
 * counts: they outrun the order saga, and nothing waits for the backlog they leave. A rate a workload needs from
 * one that was not run comes from its default or its setting.
 *
 * <p>Workload {@code cluster} ({@link ClusterWorkload}: the split deployables as one command and one query node
 * against two of each, on a PostgreSQL and a Keycloak of their own) is not among the defaults, since Keycloak takes
 * minutes to start; when asked for, it runs first, and alone ({@code bench.workloads=cluster}) without starting the
 * all-in-one application at all.
 */
public final class Benchmark {

    private final Settings settings;
    private final Report report = new Report();
    private final Http http = new Http();

    private Benchmark(Settings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        new Benchmark(Settings.fromSystemProperties()).run();
    }

    private void run() throws Exception {
        Files.createDirectories(settings.out());
        report.put("startedAt", Instant.now().toString());
        report.put("machine", Processes.machine());
        report.put("settings", Map.of("durationSeconds", settings.duration().toSeconds(),
                "warmupSeconds", settings.warmup().toSeconds(), "clients", settings.clients(),
                "workloads", settings.workloads(), "rebuildEvents", settings.rebuild().events()));
        OrderlyProcess process = new OrderlyProcess(settings, http);
        PeerWorkload peer = new PeerWorkload(settings, process, http);
        try {
            if (settings.runs("cluster")) {
                // First, on a PostgreSQL, identity provider and nodes of its own, all stopped before the all-in-one
                // application starts: nothing of the other workloads (an order saga's backlog) works beside it.
                report.put("cluster", new ClusterWorkload(settings).run());
                if (settings.workloads().stream().allMatch("cluster"::equals)) {
                    return;
                }
            }
            Map<String, Object> boot = process.bootToReady();
            report.put("boot", boot);
            report.put("bootToReadyMs", boot.get("extractedWithClassDataSharingMs"));
            report.put("postgres", process.postgresSettings());
            Statements.install(process);
            OrderlyClient client = new OrderlyClient(http, process);
            client.login();
            Shop shop = new Shop(client);
            shop.seed(settings.orderCustomers());
            Orderly orderly = new Orderly(process, client, shop, new ReadModels(process, settings));
            runWorkloads(orderly, peer);
        } finally {
            peer.stop();
            process.stop(30);
            report.put("targets", Targets.of(report.figures(), settings.clients()));
            report.write(settings.out());
            process.deleteWorkDirectory();
        }
    }

    private void runWorkloads(Orderly orderly, PeerWorkload peer) throws Exception {
        Map<String, Object> commands = new LinkedHashMap<>();
        report.put("commandsOverHttp", commands);
        RegistrationWorkload.Result registrations = null;
        if (settings.runs("register")) {
            registrations = new RegistrationWorkload(settings, orderly).run(commands);
            if (registrations.sustained() != null) {
                report.put("registrationsSustained", registrations.sustained());
            }
        }
        if (settings.runs("peer")) {
            report.put("peer", peer.run(commands, registrations == null ? null : registrations.sustained()));
        }
        if (settings.runs("token")) {
            report.put("tokenValidation", new TokenValidationWorkload(settings, orderly).run());
        }
        if (settings.runs("freshness")) {
            report.put("freshnessAtHalfLoad", new FreshnessWorkload(settings, orderly).run(registrations));
        }
        OrderWorkload orders = settings.runs("order") ? new OrderWorkload(settings, orderly) : null;
        double maxOrders = orders == null ? 0 : orders.run(commands, settings.clients().get(0));
        if (settings.runs("fulfilment")) {
            report.put("fulfilmentAtHalfLoad", new FulfilmentWorkload(settings, orderly).run(maxOrders));
        }
        if (settings.runs("checkout")) {
            report.put("checkout", new CheckoutWorkload(settings, orderly).run(commands));
        }
        report.put("residentMemoryMb", Processes.residentMemoryMb(orderly.process().process()));
        if (settings.runs("pgbench")) {
            report.put("pgbench", new PgbenchWorkload(settings, orderly.process()).run(true));
        }
        if (settings.runs("rebuild")) {
            report.put("rebuild", new RebuildWorkload(settings, orderly).run((Map<?, ?>) report.get("pgbench")));
        }
        if (orders != null) {
            for (int clients : settings.clients().subList(1, settings.clients().size())) {
                orders.run(commands, clients);
            }
            report.put("residentMemoryMbAfterOrders", Processes.residentMemoryMb(orderly.process().process()));
        }
    }
}
