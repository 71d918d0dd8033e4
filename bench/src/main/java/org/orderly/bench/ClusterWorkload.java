package org.orderly.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.HdrHistogram.Histogram;
import org.orderly.testsupport.ClusterNodeProcess;

/**
 * Workload {@code cluster}: what distribution costs. The split deployables (command side, query side) run as
 * cluster nodes in JVMs of their own, configured by the environment only, as {@code docker-compose.yml} runs them,
 * on a PostgreSQL of their own (prepared by the administrator script of the README,
 * {@code docker/postgres/init/01-orderly-roles.sql}) and a real Keycloak ({@link KeycloakServer}). Two shapes, each
 * on a fresh PostgreSQL and given the same load: <b>A</b>, one command node and one query node, and <b>B</b>, two
 * of each, behind a client-side round robin (writes to the command nodes, reads to the query nodes, as the proxy
 * in front of a cluster does).
 * <p>
 * Per shape, in this order: registrations by staff (user {@code sam}; {@code POST /api/customers} on a customer's
 * behalf) in a closed loop at {@code bench.clusterClients} (16) clients for {@code bench.duration} after
 * {@code bench.warmup}; unless {@code bench.skipSustained}, the highest open-loop registration rate at which every
 * read model a registration feeds keeps up ({@link SustainedRate}); projection freshness; and placements
 * by the realm's two customers, alice and bob (signed up once with their own tokens, {@code POST /api/orders} being
 * theirs only), in the same closed loop, last, since their order saga backlog outlasts the run. Each closed loop
 * gives ok/s, latency percentiles, and CPU per operation of the nodes (command and query apart), of the shape's
 * PostgreSQL server and of this harness ({@link CpuTime#of}).
 * <p>
 * Freshness is the time from a write's acknowledgement (its 2xx, as this harness receives it) until its row is in
 * the read model: an open loop of registrations and placements, alternating, at one rate for both shapes (half of
 * shape A's sustained registration rate, else half its closed-loop rate; {@code bench.clusterFreshnessRate} fixes
 * it), each new customer and order looked for in {@code customer.customers} and {@code orders.orders} by a poller
 * of its own connection every {@code bench.clusterPollMillis} (5) ms. Polling the tables, not the API: a query
 * node's {@code Prefer: wait} wakes on its own projection commits only and looks again every second otherwise, so in
 * shape B it would measure that second rather than the projection; and HTTP polls would add load to the nodes
 * being measured.
 * <p>
 * On a machine with fewer cores than nodes, B cannot be faster than A: the figures that matter are the CPU per
 * operation (what the extra nodes cost: their own claims, polling of the event store, connection pools) and
 * freshness (a segment processed on another node than the one read). The report gives both shapes and B / A.
 * <p>
 * Settings besides the harness's: {@link Settings.Cluster}. The nodes ({@link ClusterNodeProcess}, with the
 * environment {@code docker-compose.yml} gives its nodes, but one segment per processor) run with the JVM options of
 * {@code bench.appHeap}, as the all-in-one application does in the other workloads; their logs go to
 * {@code bench/results/cluster-*.log}.
 */
final class ClusterWorkload {

    private static final Duration SEED_TIMEOUT = Duration.ofSeconds(120);

    /**
     * Node arguments: as the all-in-one application in the other workloads, room for every request of the load,
     * which comes from one address and a few users.
     */
    private static final List<String> NODE_ARGUMENTS = List.of(
            "--orderly.web.rate-limit.anonymous-per-second=1000000",
            "--orderly.web.rate-limit.anonymous-burst=1000000",
            "--orderly.web.rate-limit.authenticated-per-second=1000000",
            "--orderly.web.rate-limit.authenticated-burst=1000000");

    private final Settings settings;
    private final Settings.Cluster clusterSettings;
    private final Duration warmup;
    private final Duration duration;
    private final int clients;
    private final List<String> jvmOptions;
    private final Path out;
    private final Http http = new Http();

    ClusterWorkload(Settings settings) {
        this.settings = settings;
        this.clusterSettings = settings.cluster();
        this.warmup = settings.warmup();
        this.duration = settings.duration();
        this.clients = clusterSettings.clients();
        this.jvmOptions = settings.jvmOptions();
        this.out = settings.out();
    }

    /** Both shapes and their ratios; on a failure, what was measured and why the rest is missing. */
    Map<String, Object> run() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("clients", clients);
        result.put("nodeJvmOptions", String.join(" ", jvmOptions));
        for (Path jar : List.of(clusterSettings.commandJar(), clusterSettings.queryJar())) {
            if (!Files.isReadable(jar)) {
                result.put("skipped", jar + " not found (build modules command-side and query-side)");
                System.out.println("CLUSTER SKIPPED: " + result.get("skipped"));
                return result;
            }
        }
        try (KeycloakServer keycloak = KeycloakServer.start(clusterSettings, out.resolve("cluster-keycloak.log"));
             StopOnExit stopKeycloak = new StopOnExit(keycloak)) {
            Map<String, Object> a = shape("A", 1, 1, keycloak, null);
            result.put("A", a);
            double rate = ((Number) ((Map<?, ?>) a.get("freshness")).get("targetRatePerSecond")).doubleValue();
            Map<String, Object> b = shape("B", 2, 2, keycloak, rate);
            result.put("B", b);
            result.put("ratioBOverA", ratios(a, b));
            System.out.println("cluster B / A: " + result.get("ratioBOverA"));
        } catch (Exception e) {
            System.out.println("CLUSTER FAILED: " + e);
            e.printStackTrace(System.out);
            result.put("failed", e.toString());
        }
        return result;
    }

    /** One shape on a fresh PostgreSQL: its nodes started, seeded, measured, stopped. */
    private Map<String, Object> shape(String name, int commandNodes, int queryNodes, KeycloakServer keycloak,
                                      Double freshnessRate) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("commandNodes", commandNodes);
        result.put("queryNodes", queryNodes);
        Path work = Files.createTempDirectory("orderly-bench-cluster-");
        try (Cluster cluster = new Cluster(name, work, keycloak); StopOnExit stopCluster = new StopOnExit(cluster)) {
            long start = System.nanoTime();
            cluster.start(commandNodes, queryNodes);
            result.put("startToReadyMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            cluster.seed();
            System.out.printf("cluster %s (%d command + %d query nodes) ready and seeded in %d ms%n", name,
                    commandNodes, queryNodes, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));

            Map<String, Object> registrations = cluster.closedLoop("registrations", cluster::register,
                    cluster::registrationBacklog);
            result.put("registrations", registrations);
            double closedLoopRate = (double) registrations.get("throughputPerSecond");
            Double sustained = null;
            if (!settings.skipSustained() && closedLoopRate > 0) {
                Map<String, Object> probes = SustainedRate.probe("cluster " + name
                                + " registrations, read models current", closedLoopRate, closedLoopRate,
                        settings.probeSeconds(), cluster::register, cluster::registrationBacklog,
                        () -> ReadModels.awaitBacklog(cluster::registrationBacklog, 300));
                result.put("registrationsSustained", probes);
                sustained = (double) probes.get("maxSustainedPerSecond");
            }
            if (freshnessRate == null) {
                Double fixed = clusterSettings.freshnessRate();
                freshnessRate = fixed != null ? fixed
                        : sustained != null && sustained > 0 ? sustained / 2
                        : closedLoopRate > 0 ? closedLoopRate / 2 : 20;
            }
            ReadModels.awaitBacklog(cluster::registrationBacklog, 60);
            result.put("freshness", cluster.freshness(freshnessRate));
            result.put("placements", cluster.closedLoop("placements", cluster::placeOrder, cluster::ordersLag));
        } finally {
            if (!settings.keep()) {
                Processes.deleteTree(work);
            }
        }
        return result;
    }

    /** B / A of every figure that both shapes have; above 1 means B is higher (faster, slower or costlier). */
    private static Map<String, Object> ratios(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> ratios = new LinkedHashMap<>();
        for (String operation : List.of("registrations", "placements")) {
            Map<?, ?> ra = (Map<?, ?>) a.get(operation);
            Map<?, ?> rb = (Map<?, ?>) b.get(operation);
            if (ra == null || rb == null) {
                continue;
            }
            Map<String, Object> ratio = new LinkedHashMap<>();
            ratio.put("throughput", ratio(ra.get("throughputPerSecond"), rb.get("throughputPerSecond")));
            ratio.put("p50", ratio(ra.get("p50Ms"), rb.get("p50Ms")));
            ratio.put("p99", ratio(ra.get("p99Ms"), rb.get("p99Ms")));
            Map<?, ?> ca = (Map<?, ?>) ra.get("cpuPerOperation");
            Map<?, ?> cb = (Map<?, ?>) rb.get("cpuPerOperation");
            ratio.put("cpuNodes", ratio(ca.get("appMs"), cb.get("appMs")));
            ratio.put("cpuPostgres", ratio(ca.get("postgresMs"), cb.get("postgresMs")));
            ratio.put("cpuNodesAndPostgres", ratio(sum(ca.get("appMs"), ca.get("postgresMs")),
                    sum(cb.get("appMs"), cb.get("postgresMs"))));
            ratios.put(operation, ratio);
        }
        if (a.get("registrationsSustained") instanceof Map<?, ?> sa && b.get("registrationsSustained") instanceof Map<?, ?> sb) {
            ratios.put("registrationsSustained", ratio(sa.get("maxSustainedPerSecond"), sb.get("maxSustainedPerSecond")));
        }
        Map<?, ?> fa = (Map<?, ?>) a.get("freshness");
        Map<?, ?> fb = (Map<?, ?>) b.get("freshness");
        for (String model : List.of("customers", "orders")) {
            if (fa.get(model) instanceof Map<?, ?> ma && fb.get(model) instanceof Map<?, ?> mb) {
                ratios.put("freshness-" + model + "-p50", ratio(ma.get("p50Ms"), mb.get("p50Ms")));
                ratios.put("freshness-" + model + "-p99", ratio(ma.get("p99Ms"), mb.get("p99Ms")));
            }
        }
        return ratios;
    }

    private static Double ratio(Object a, Object b) {
        if (!(a instanceof Number na) || !(b instanceof Number nb) || na.doubleValue() == 0) {
            return null;
        }
        return Math.round(nb.doubleValue() / na.doubleValue() * 100) / 100.0;
    }

    private static Double sum(Object a, Object b) {
        return a instanceof Number na && b instanceof Number nb ? na.doubleValue() + nb.doubleValue() : null;
    }

    /** The cluster section of the markdown report. */
    static String markdown(Map<?, ?> cluster) {
        StringBuilder md = new StringBuilder("\n## Cluster: A = 1 command + 1 query node, B = 2 + 2, same load\n\n");
        if (cluster.containsKey("skipped") || cluster.containsKey("failed")) {
            md.append("Not (fully) measured: `").append(cluster.containsKey("failed") ? cluster.get("failed")
                    : cluster.get("skipped")).append("`\n\n");
        }
        md.append(cluster.get("clients")).append(" clients, closed loop; nodes run with `")
                .append(cluster.get("nodeJvmOptions")).append("`\n\n")
                .append("| shape | operation | ok/s | p50 ms | p99 ms | max ms | failed | CPU ms/op: nodes (command + query) "
                        + "+ PostgreSQL + harness (machine busy) |\n|---|---|---|---|---|---|---|---|\n");
        for (String shape : List.of("A", "B")) {
            if (!(cluster.get(shape) instanceof Map<?, ?> figures)) {
                continue;
            }
            for (String operation : List.of("registrations", "placements")) {
                if (figures.get(operation) instanceof Map<?, ?> run) {
                    Map<?, ?> cpu = (Map<?, ?>) run.get("cpuPerOperation");
                    md.append("| ").append(shape).append(" | ").append(operation).append(" | ")
                            .append(run.get("throughputPerSecond")).append(" | ").append(run.get("p50Ms")).append(" | ")
                            .append(run.get("p99Ms")).append(" | ").append(run.get("maxMs")).append(" | ")
                            .append(run.get("failed"))
                            .append(run.get("failedByStatusWarmUpIncluded") instanceof Map<?, ?> statuses
                                    && !statuses.isEmpty() ? " (by status, warm-up included: " + statuses + ")" : "")
                            .append(" | ").append(cpu.get("appMs")).append(" (")
                            .append(run.get("commandNodesMs")).append(" + ").append(run.get("queryNodesMs")).append(") + ")
                            .append(cpu.get("postgresMs")).append(" + ").append(cpu.get("harnessMs")).append(" (")
                            .append(cpu.get("machineBusyPercent")).append(" %) |\n");
                }
            }
        }
        md.append("\n| shape | sustained registrations/s | freshness rate/s | customers p50 / p99 ms | orders p50 / p99 ms "
                + "| not visible within 10 s |\n|---|---|---|---|---|---|\n");
        for (String shape : List.of("A", "B")) {
            if (!(cluster.get(shape) instanceof Map<?, ?> figures) || !(figures.get("freshness") instanceof Map<?, ?> f)) {
                continue;
            }
            Map<?, ?> customers = f.get("customers") instanceof Map<?, ?> m ? m : Map.of();
            Map<?, ?> orders = f.get("orders") instanceof Map<?, ?> m ? m : Map.of();
            md.append("| ").append(shape).append(" | ").append(figures.get("registrationsSustained") instanceof Map<?, ?> s
                            ? s.get("maxSustainedPerSecond") : "not probed").append(" | ")
                    .append(f.get("targetRatePerSecond")).append(" | ").append(customers.get("p50Ms")).append(" / ")
                    .append(customers.get("p99Ms")).append(" | ").append(orders.get("p50Ms")).append(" / ")
                    .append(orders.get("p99Ms")).append(" | ").append(f.get("notVisibleWithin10s")).append(" |\n");
        }
        md.append("\nB / A: `").append(cluster.get("ratioBOverA")).append("`\n");
        return md.toString();
    }

    /** The PostgreSQL, nodes and seeded data of one shape. */
    private final class Cluster implements AutoCloseable {
        private final String name;
        private final Path work;
        private final KeycloakServer keycloak;
        private EmbeddedPostgres postgres;
        private ProcessHandle postmaster;
        private final List<ClusterNodeProcess> commandNodes = new ArrayList<>();
        private final List<ClusterNodeProcess> queryNodes = new ArrayList<>();
        private final AtomicInteger nextWrite = new AtomicInteger();
        /** The customers who place the orders: id, and the person whose token places them. */
        private final List<String[]> customers = new ArrayList<>();
        private final List<String> products = new ArrayList<>();

        Cluster(String name, Path work, KeycloakServer keycloak) {
            this.name = name;
            this.work = work;
            this.keycloak = keycloak;
        }

        void start(int commandCount, int queryCount) throws Exception {
            // Durable as Orderly's own embedded server (the library's defaults turn fsync and synchronous commit
            // off; a later setting wins), with connections for every node's pool per domain.
            postgres = EmbeddedPostgres.builder().setDataDirectory(work.resolve("pgdata")).setCleanDataDirectory(true)
                    .setPGStartupWait(Duration.ofSeconds(60)).setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on").setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "400").start();
            long pid = Long.parseLong(Files.readAllLines(work.resolve("pgdata/postmaster.pid")).get(0).trim());
            postmaster = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no postmaster " + pid));
            try (Connection c = superuser(); Statement s = c.createStatement()) {
                s.execute(Files.readString(clusterSettings.adminScript()));
            }
            Map<String, String> environment = new LinkedHashMap<>(ClusterNodeProcess.environment(postgres.getPort(),
                    keycloak.issuer(), clusterSettings.adminScript()));
            // One segment per processor: the query nodes divide the processors between them rather than each one's
            // work, which is what the figures of the report were measured with.
            environment.remove("ORDERLY_PROCESSORS_INITIAL_SEGMENTS");
            for (int i = 1; i <= commandCount; i++) {
                commandNodes.add(node(name + "-command-" + i, clusterSettings.commandJar(), environment));
            }
            for (int i = 1; i <= queryCount; i++) {
                queryNodes.add(node(name + "-query-" + i, clusterSettings.queryJar(), environment));
            }
            for (ClusterNodeProcess node : nodes()) {
                node.awaitReady(clusterSettings.nodeStart());
            }
        }

        /** A node of this shape, in its work directory, its log in {@code cluster-<id>.log} beside the report. */
        private ClusterNodeProcess node(String id, Path jar, Map<String, String> environment) {
            return ClusterNodeProcess.start(id, jar, jvmOptions, NODE_ARGUMENTS, environment, work,
                    out.resolve("cluster-" + id + ".log"));
        }

        List<ClusterNodeProcess> nodes() {
            List<ClusterNodeProcess> all = new ArrayList<>(commandNodes);
            all.addAll(queryNodes);
            return all;
        }

        Connection superuser() {
            try {
                return DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Products with plenty of stock, and alice and bob signed up with their own tokens, with room to order. */
        void seed() throws Exception {
            String staff = "sam";
            for (int i = 0; i < 20; i++) {
                Response added = post("/api/products", "{\"sku\": \"CLUSTER-" + UUID.randomUUID()
                        + "\", \"name\": \"Item " + i + "\", \"price\": {\"amount\": \"1.00\", \"currency\": \"EUR\"}, "
                        + "\"weightGrams\": 100}", staff);
                added.expect(201);
                products.add(added.json().get("productId").asText());
            }
            for (String product : products) {
                // the inventory item follows the product asynchronously
                retry(() -> post("/api/inventory/" + product + "/receipts", "{\"quantity\": 100000000}", staff), 204);
            }
            for (String person : List.of("alice", "bob")) {
                Response signedUp = post("/api/customers", "{\"email\": \"" + person
                        + "@example.com\", \"name\": \"" + person + "\"}", person);
                signedUp.expect(201);
                String id = signedUp.json().get("customerId").asText();
                retry(() -> put("/api/customers/" + id + "/credit-limit",
                        "{\"amount\": \"900000000\", \"currency\": \"EUR\"}", staff), 204);
                customers.add(new String[] {id, person});
            }
            // the order domain's copies of the customers and products: a placement answers 503 until they are in
            for (String[] customer : customers) {
                for (String product : products) {
                    retry(() -> post("/api/orders", order(customer[0], product), customer[1]), 202);
                }
            }
            ReadModels.awaitBacklog(this::registrationBacklog, 60);
        }

        Response register() {
            return post("/api/customers", "{\"email\": \"c-" + UUID.randomUUID() + "@example.com\", \"name\": \"Bench\"}",
                    "sam");
        }

        Response placeOrder() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String[] customer = customers.get(random.nextInt(customers.size()));
            return post("/api/orders", order(customer[0], products.get(random.nextInt(products.size()))), customer[1]);
        }

        private static String order(String customerId, String productId) {
            return "{\"customerId\": \"" + customerId + "\", \"lines\": [{\"productId\": \"" + productId
                    + "\", \"quantity\": 1}]}";
        }

        /** The most events any read model a registration feeds has still to handle; -1 if unknown. */
        long registrationBacklog() {
            try (Connection c = superuser()) {
                return ReadModels.registrationBacklog(c);
            } catch (SQLException | IllegalStateException e) {
                return -1;
            }
        }

        /** Events the orders projection has still to handle; -1 if unknown. */
        long ordersLag() {
            try (Connection c = superuser()) {
                return ReadModels.projectionLag(c, "orders", "orders");
            } catch (SQLException | IllegalStateException e) {
                return -1;
            }
        }

        /**
         * {@link Load#closedLoop} over this shape, with the CPU of its command nodes, query nodes and
         * PostgreSQL, and {@code backlog} sampled every second.
         */
        Map<String, Object> closedLoop(String operation, Supplier<Response> call,
                                       java.util.function.LongSupplier backlog) throws InterruptedException {
            List<CpuTime> commandSide = new ArrayList<>();
            List<CpuTime> querySide = new ArrayList<>();
            List<Long> backlogs = new ArrayList<>();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("workload", "cluster " + name + " " + operation);
            result.put("clients", clients);
            Failures failures = new Failures();
            result.putAll(Load.closedLoop(clients, failures.counting(call), warmup, duration, () -> {
                CpuTime command = CpuTime.of(commandNodes.stream().map(ClusterNodeProcess::handle).toList(), postmaster);
                CpuTime query = CpuTime.of(queryNodes.stream().map(ClusterNodeProcess::handle).toList(), postmaster);
                commandSide.add(command);
                querySide.add(query);
                // the nodes' total from the same snapshots as its two parts, so that they add up
                return command == null || query == null ? null : new CpuTime(command.appTicks() + query.appTicks(),
                        command.postgresTicks(), command.harnessTicks(), command.machineBusyTicks(),
                        command.machineTotalTicks());
            }, () -> backlogs.add(backlog.getAsLong())));
            long ok = (long) result.get("ok");
            result.put("commandNodesMs", nodeMs(commandSide, ok));
            result.put("queryNodesMs", nodeMs(querySide, ok));
            result.put("backlogEverySecond", backlogs);
            result.put("failedByStatusWarmUpIncluded", failures.byStatus());
            result.put("firstFailures", failures.first());
            System.out.printf("cluster %s %-13s %3d clients: %8.1f/s  p50 %6.1f ms  p99 %6.1f ms  failed %d  CPU ms/op "
                            + "%s (command nodes %s, query nodes %s)%n", name, operation, clients,
                    (double) result.get("throughputPerSecond"), (double) result.get("p50Ms"), (double) result.get("p99Ms"),
                    (long) result.get("failed"), result.get("cpuPerOperation"), result.get("commandNodesMs"),
                    result.get("queryNodesMs"));
            return result;
        }

        private static Double nodeMs(List<CpuTime> snapshots, long operations) {
            if (snapshots.size() != 2 || snapshots.contains(null) || operations == 0) {
                return null;
            }
            return Math.round((snapshots.get(1).appTicks() - snapshots.get(0).appTicks()) * 10.0 / operations * 100)
                    / 100.0;
        }

        /**
         * Open loop at {@code rate} per second for the warm-up and the duration, registrations and placements
         * alternating; each measured write's row is looked for in its read model until it is there (10 s at most).
         */
        Map<String, Object> freshness(double rate) throws Exception {
            Map<String, Histogram> visible = Map.of("customers", new Histogram(TimeUnit.SECONDS.toMicros(60), 3),
                    "orders", new Histogram(TimeUnit.SECONDS.toMicros(60), 3));
            Map<UUID, Long> customersPending = new ConcurrentHashMap<>();
            Map<UUID, Long> ordersPending = new ConcurrentHashMap<>();
            AtomicLong written = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            AtomicLong notVisible = new AtomicLong();
            AtomicLong sequence = new AtomicLong();
            AtomicBoolean polling = new AtomicBoolean(true);
            Thread poller = new Thread(() -> {
                try (Connection c = superuser()) {
                    while (polling.get() || !customersPending.isEmpty() || !ordersPending.isEmpty()) {
                        look(c, "SELECT customer_id FROM customer.customers WHERE customer_id = ANY(?)",
                                customersPending, visible.get("customers"), notVisible);
                        look(c, "SELECT order_id FROM orders.orders WHERE order_id = ANY(?)",
                                ordersPending, visible.get("orders"), notVisible);
                        Thread.sleep(clusterSettings.pollMillis());
                    }
                } catch (SQLException | InterruptedException e) {
                    System.out.println("freshness poller stopped: " + e);
                }
            }, "freshness-poller");
            poller.start();
            long measureFrom = System.nanoTime() + warmup.toNanos();
            long measureTo = measureFrom + duration.toNanos();
            Failures failures = new Failures();
            Supplier<Response> registrations = failures.counting(this::register);
            Supplier<Response> placements = failures.counting(this::placeOrder);
            Load.openLoop(rate, measureTo, 30, scheduled -> {
                boolean measured = scheduled >= measureFrom;
                boolean registration = sequence.incrementAndGet() % 2 == 1;
                Response answer = (registration ? registrations : placements).get();
                long acknowledged = System.nanoTime();
                if (!measured) {
                    return;
                }
                if (answer.status() / 100 != 2) {
                    failed.incrementAndGet();
                    return;
                }
                written.incrementAndGet();
                UUID id = UUID.fromString(answer.json().get(registration ? "customerId" : "orderId").asText());
                (registration ? customersPending : ordersPending).put(id, acknowledged);
            });
            polling.set(false);
            poller.join(TimeUnit.SECONDS.toMillis(30));
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("targetRatePerSecond", Math.round(rate * 10) / 10.0);
            result.put("writtenPerSecond", Math.round(written.get() / (duration.toNanos() / 1e9) * 10) / 10.0);
            result.put("failedWrites", failed.get());
            result.put("notVisibleWithin10s", notVisible.get());
            result.put("failedByStatusWarmUpIncluded", failures.byStatus());
            result.put("firstFailures", failures.first());
            result.put("pollMillis", clusterSettings.pollMillis());
            for (Map.Entry<String, Histogram> model : visible.entrySet()) {
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("samples", model.getValue().getTotalCount());
                figures.putAll(Load.percentiles(model.getValue()));
                result.put(model.getKey(), figures);
            }
            System.out.printf("cluster %s freshness at %.1f/s (written %s/s, failed %d, not visible within 10 s %d): "
                            + "customers %s, orders %s%n", name, rate, result.get("writtenPerSecond"), failed.get(),
                    notVisible.get(), result.get("customers"), result.get("orders"));
            return result;
        }

        /** One look for the pending rows of one read model: those there are timed and done with. */
        private static void look(Connection c, String sql, Map<UUID, Long> pending, Histogram visible,
                                 AtomicLong notVisible) throws SQLException {
            if (pending.isEmpty()) {
                return;
            }
            List<UUID> ids = new ArrayList<>(pending.keySet());
            try (PreparedStatement query = c.prepareStatement(sql)) {
                Array array = c.createArrayOf("uuid", ids.toArray());
                query.setArray(1, array);
                try (ResultSet rs = query.executeQuery()) {
                    long now = System.nanoTime();
                    while (rs.next()) {
                        Long acknowledged = pending.remove(rs.getObject(1, UUID.class));
                        if (acknowledged != null) {
                            visible.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(now - acknowledged),
                                    visible.getHighestTrackableValue()));
                        }
                    }
                }
            }
            long now = System.nanoTime();
            pending.entrySet().removeIf(entry -> {
                boolean late = now - entry.getValue() > TimeUnit.SECONDS.toNanos(10);
                if (late) {
                    notVisible.incrementAndGet();
                }
                return late;
            });
        }

        private Response post(String path, String body, String person) {
            return http.post(writeNode(), path, body, keycloak.authorization(person));
        }

        private Response put(String path, String body, String person) {
            return http.put(writeNode(), path, body, keycloak.authorization(person));
        }

        /** The next command node, round robin, as the proxy in front of the cluster picks one. */
        private int writeNode() {
            return commandNodes.get(Math.floorMod(nextWrite.getAndIncrement(), commandNodes.size())).port();
        }

        private static void retry(Supplier<Response> call, int status) throws InterruptedException {
            long deadline = System.nanoTime() + SEED_TIMEOUT.toNanos();
            Response last = call.get();
            while (last.status() != status) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("expected " + status + " within " + SEED_TIMEOUT + ", last answer "
                            + last.status() + " " + last.body());
                }
                Thread.sleep(100);
                last = call.get();
            }
        }

        @Override
        public void close() {
            nodes().forEach(ClusterNodeProcess::close);
            if (postgres != null) {
                try {
                    postgres.close();
                } catch (IOException e) {
                    System.out.println("could not stop the cluster's PostgreSQL: " + e);
                }
            }
        }
    }

    /** Answers other than 2xx by status, and the first of each (a status of -1 is no answer: the body says why). */
    private static final class Failures {
        private final Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
        private final Map<Integer, String> first = new ConcurrentHashMap<>();

        Supplier<Response> counting(Supplier<Response> call) {
            return () -> {
                Response answer = call.get();
                if (answer.status() / 100 != 2) {
                    byStatus.computeIfAbsent(answer.status(), s -> new AtomicLong()).incrementAndGet();
                    first.putIfAbsent(answer.status(), answer.body() == null ? "" : answer.body()
                            .substring(0, Math.min(300, answer.body().length())));
                }
                return answer;
            };
        }

        Map<Integer, Long> byStatus() {
            Map<Integer, Long> counts = new java.util.TreeMap<>();
            byStatus.forEach((status, count) -> counts.put(status, count.get()));
            return counts;
        }

        Map<Integer, String> first() {
            return new java.util.TreeMap<>(first);
        }
    }

    /**
     * Stops a process this workload started should the harness be stopped (Ctrl-C) while it runs: a child process
     * outlives the JVM that started it, and a node or Keycloak left running would take the cores of the next run.
     */
    private static final class StopOnExit implements AutoCloseable {
        private final Thread hook;

        StopOnExit(AutoCloseable started) {
            hook = new Thread(() -> {
                try {
                    started.close();
                } catch (Exception e) {
                    System.out.println("could not stop " + started + ": " + e);
                }
            }, "cluster-stop");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        @Override
        public void close() {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) already
            }
        }
    }
}
