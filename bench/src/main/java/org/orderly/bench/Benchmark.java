package org.orderly.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.HdrHistogram.Histogram;

/**
 * Starts Orderly as its own process on a fresh embedded PostgreSQL (fsync and synchronous_commit on),
 * drives it over HTTP from this process, measures PostgreSQL's own ceiling with pgbench against the
 * same server, and writes a markdown and a JSON report under {@code bench/results/}. After Orderly's
 * registration runs it starts the peer (module bench-peer: the same registration flow on Axon's defaults) as its
 * own process against the same PostgreSQL server, in a database {@code peer}, gives it the same load, and stops
 * it before the remaining workloads.
 *
 * <p>Settings (system properties): {@code bench.duration} seconds per measured run (60),
 * {@code bench.warmup} seconds before each (10), {@code bench.clients} ("1,16,64"), {@code bench.app}
 * (the app jar), {@code bench.peer} (the peer jar), {@code bench.out} (bench/results).
 */
public final class Benchmark {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Duration duration = Duration.ofSeconds(Long.getLong("bench.duration", 60));
    private final Duration warmup = Duration.ofSeconds(Long.getLong("bench.warmup", 10));
    private final int[] clientCounts = parseInts(System.getProperty("bench.clients", "1,16,64"));
    private final Path appJar = Path.of(System.getProperty("bench.app", "app/target/app-0.1.0-SNAPSHOT.jar"));
    private final Path peerJar = Path.of(System.getProperty("bench.peer", "bench-peer/target/bench-peer.jar"));
    private final Path out = Path.of(System.getProperty("bench.out", "bench/results"));
    private final int httpPort = freePort();
    private final int pgPort = freePort();
    private final int peerPort = freePort();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Object> report = new LinkedHashMap<>();
    private final List<String> customers = new ArrayList<>();
    private final List<String> products = new ArrayList<>();
    private Process app;
    private Process peer;

    public static void main(String[] args) throws Exception {
        new Benchmark().run();
    }

    private void run() throws Exception {
        Files.createDirectories(out);
        report.put("startedAt", Instant.now().toString());
        report.put("machine", machine());
        report.put("settings", Map.of("durationSeconds", duration.toSeconds(), "warmupSeconds", warmup.toSeconds(),
                "clients", java.util.Arrays.stream(clientCounts).boxed().toList()));
        try {
            bootToReady();
            database();
            seed();
            Map<String, Object> commands = new LinkedHashMap<>();
            double maxRegistrations = 0;
            for (int clients : clientCounts) {
                Map<String, Object> registration = load("customer registrations", clients, this::register,
                        this::customerProjectionLag);
                maxRegistrations = Math.max(maxRegistrations, (double) registration.get("throughputPerSecond"));
                commands.put("register-" + clients, registration);
            }
            report.put("commandsOverHttp", commands);
            report.put("peer", peer(commands));
            for (int clients : clientCounts) {
                commands.put("order-" + clients, load("order placements", clients, this::placeOrder,
                        this::customerProjectionLag));
            }
            report.put("freshnessAtHalfLoad", freshness(maxRegistrations / 2));
            report.put("residentMemoryMb", residentMemoryMb());
            report.put("pgbench", pgbench());
        } finally {
            stopPeer();
            if (app != null) {
                app.destroy();
                app.waitFor(30, TimeUnit.SECONDS);
            }
            write();
        }
    }

    private void bootToReady() throws Exception {
        Path data = Files.createTempDirectory("orderly-bench-").resolve("pgdata");
        long start = System.nanoTime();
        List<String> command = new ArrayList<>(List.of("java"));
        // e.g. -Dbench.appJvmArgs="-XX:StartFlightRecording=filename=bench/results/app.jfr" to profile Orderly
        String jvmArgs = System.getProperty("bench.appJvmArgs", "");
        if (!jvmArgs.isBlank()) {
            command.addAll(List.of(jvmArgs.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", appJar.toString(), "--server.port=" + httpPort,
                "--orderly.database.embedded.data-directory=" + data, "--orderly.database.embedded.port=" + pgPort,
                "--logging.level.root=WARN"));
        app = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.resolve("app.log").toFile())
                .start();
        while (true) {
            if (!app.isAlive()) {
                throw new IllegalStateException("Orderly exited during start; see " + out.resolve("app.log"));
            }
            try {
                if (get("/api/customers?limit=1").statusCode() == 200) {
                    break;
                }
            } catch (java.io.UncheckedIOException notYet) {
                // still starting
            }
            Thread.sleep(20);
        }
        report.put("bootToReadyMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    private void database() throws SQLException {
        try (Connection c = postgres(); Statement s = c.createStatement()) {
            Map<String, String> settings = new LinkedHashMap<>();
            for (String name : List.of("server_version", "fsync", "synchronous_commit", "full_page_writes")) {
                try (ResultSet rs = s.executeQuery("SHOW " + name)) {
                    rs.next();
                    settings.put(name, rs.getString(1));
                }
            }
            report.put("postgres", settings);
        }
    }

    /**
     * The same registration load on the peer, at the same client counts, while Orderly idles; then the peer
     * stops so that it takes no CPU from the remaining workloads. Ratios are Orderly / peer.
     */
    private Map<String, Object> peer(Map<String, Object> orderly) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        if (!Files.isReadable(peerJar)) {
            System.out.println("PEER SKIPPED: " + peerJar + " not found (build module bench-peer)");
            result.put("skipped", peerJar + " not found (build module bench-peer)");
            return result;
        }
        try {
            result.put("bootToReadyMs", startPeer());
            Map<String, Object> runs = new LinkedHashMap<>();
            Map<String, Object> ratios = new LinkedHashMap<>();
            for (int clients : clientCounts) {
                Map<String, Object> run = load("peer registrations", clients, this::registerOnPeer, this::peerProjectionLag);
                runs.put("register-" + clients, run);
                Map<?, ?> ours = (Map<?, ?>) orderly.get("register-" + clients);
                Map<String, Object> ratio = new LinkedHashMap<>();
                ratio.put("throughput", ratio((double) ours.get("throughputPerSecond"), (double) run.get("throughputPerSecond")));
                ratio.put("p50", ratio((double) ours.get("p50Ms"), (double) run.get("p50Ms")));
                ratio.put("p99", ratio((double) ours.get("p99Ms"), (double) run.get("p99Ms")));
                ratios.put(Integer.toString(clients), ratio);
                System.out.printf("Orderly/peer at %3d clients: throughput %sx  p99 %sx%n", clients, ratio.get("throughput"),
                        ratio.get("p99"));
            }
            result.put("commandsOverHttp", runs);
            result.put("orderlyOverPeer", ratios);
            result.put("residentMemoryMb", residentMemoryMb(peer));
        } catch (Exception e) {
            // Orderly's own figures still count; the report says why the comparison is missing.
            System.out.println("PEER FAILED: " + e);
            result.put("failed", e.toString());
        } finally {
            stopPeer();
        }
        return result;
    }

    private long startPeer() throws Exception {
        try (Connection c = postgres(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS peer");
            s.execute("CREATE DATABASE peer");
        }
        long start = System.nanoTime();
        peer = new ProcessBuilder("java", "-jar", peerJar.toString(), "--server.port=" + peerPort,
                "--spring.datasource.url=jdbc:postgresql://localhost:" + pgPort + "/peer",
                "--spring.datasource.username=postgres", "--spring.datasource.password=",
                "--logging.level.root=WARN")
                .redirectErrorStream(true)
                .redirectOutput(out.resolve("peer.log").toFile())
                .start();
        long deadline = start + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            if (!peer.isAlive()) {
                throw new IllegalStateException("the peer exited during start; see " + out.resolve("peer.log"));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the peer was not ready within 120 s; see " + out.resolve("peer.log"));
            }
            try {
                if (get(peerPort, "/api/customers/" + UUID.randomUUID()).statusCode() == 404) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                }
            } catch (java.io.UncheckedIOException notYet) {
                // still starting
            }
            Thread.sleep(20);
        }
    }

    private void stopPeer() throws InterruptedException {
        if (peer != null && peer.isAlive()) {
            peer.destroy();
            if (!peer.waitFor(30, TimeUnit.SECONDS)) {
                peer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Response registerOnPeer() {
        return post(peerPort, "/api/customers", "{\"email\": \"p-" + UUID.randomUUID() + "@example.com\", \"name\": \"Bench\"}");
    }

    private static Double ratio(double orderly, double peer) {
        return peer == 0 ? null : Math.round(orderly / peer * 100) / 100.0;
    }

    /** Customers with room on their credit limit, products, and plenty of stock. */
    private void seed() throws Exception {
        for (int i = 0; i < 200; i++) {
            customers.add(post("/api/customers", "{\"email\": \"seed-" + UUID.randomUUID()
                    + "@example.com\", \"name\": \"Seed\", \"creditLimit\": {\"amount\": \"900000000\", \"currency\": \"EUR\"}}")
                    .json().get("customerId").asText());
        }
        for (int i = 0; i < 50; i++) {
            String id = post("/api/products", "{\"sku\": \"BENCH-" + UUID.randomUUID() + "\", \"name\": \"Item " + i
                    + "\", \"price\": {\"amount\": \"1.00\", \"currency\": \"EUR\"}, \"weightGrams\": 100}")
                    .json().get("productId").asText();
            products.add(id);
        }
        for (String product : products) {
            awaitStatus("/api/products/" + product, 200);
            post("/api/inventory/" + product + "/receipts", "{\"quantity\": 100000000}");
        }
        awaitStatus("/api/customers/" + customers.get(customers.size() - 1), 200);
    }

    private Response register() {
        return post("/api/customers", "{\"email\": \"b-" + UUID.randomUUID() + "@example.com\", \"name\": \"Bench\"}");
    }

    private Response placeOrder() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String customer = customers.get(random.nextInt(customers.size()));
        String product = products.get(random.nextInt(products.size()));
        return post("/api/orders", "{\"customerId\": \"" + customer + "\", \"lines\": [{\"productId\": \"" + product
                + "\", \"quantity\": 1}]}");
    }

    /** Closed-loop load: {@code clients} threads, each sending its next request when the last is answered. */
    private Map<String, Object> load(String name, int clients, java.util.function.Supplier<Response> operation,
            java.util.function.LongSupplier projectionLag) throws InterruptedException {
        Histogram latencies = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        List<Long> lagSamples = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(() -> {
                while (running.get()) {
                    long start = System.nanoTime();
                    Response response = operation.get();
                    long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
                    if (measuring.get()) {
                        if (response.status() / 100 == 2) {
                            ok.incrementAndGet();
                            synchronized (latencies) {
                                latencies.recordValue(Math.min(micros, latencies.getHighestTrackableValue()));
                            }
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
        measuring.set(true);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(1000);
            lagSamples.add(projectionLag.getAsLong());
        }
        measuring.set(false);
        double seconds = (System.nanoTime() - start) / 1e9;
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("workload", name);
        result.put("clients", clients);
        result.put("ok", ok.get());
        result.put("failed", failed.get());
        result.put("throughputPerSecond", Math.round(ok.get() / seconds * 10) / 10.0);
        result.putAll(percentiles(latencies));
        result.put("customerProjectionLagEventsPerSecondSample", lagSamples);
        System.out.printf("%-24s %3d clients: %8.1f/s  p50 %6.1f ms  p99 %6.1f ms  failed %d%n", name, clients,
                (double) result.get("throughputPerSecond"), (double) result.get("p50Ms"), (double) result.get("p99Ms"),
                failed.get());
        return result;
    }

    /** Open-loop registrations at {@code rate} per second; each is timed from its 2xx to its first visible GET. */
    private Map<String, Object> freshness(double rate) throws InterruptedException {
        Histogram visible = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        int workers = 16;
        long intervalNanos = (long) (1e9 / Math.max(rate, 1) * workers);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean measuring = new AtomicBoolean(false);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            Thread thread = new Thread(() -> {
                long next = System.nanoTime();
                while (running.get()) {
                    Response created = register();
                    long acknowledged = System.nanoTime();
                    if (created.status() == 201) {
                        String id = created.json().get("customerId").asText();
                        // Poll every 2 ms: resolution enough for a 100 ms target, without the pollers eating the CPU.
                        while (get("/api/customers/" + id).statusCode() != 200) {
                            try {
                                Thread.sleep(2);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                        if (measuring.get()) {
                            synchronized (visible) {
                                visible.recordValue(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - acknowledged));
                            }
                        }
                    }
                    next += intervalNanos;
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                        try {
                            TimeUnit.NANOSECONDS.sleep(sleep);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        Thread.sleep(warmup.toMillis());
        measuring.set(true);
        Thread.sleep(duration.toMillis());
        measuring.set(false);
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("targetRatePerSecond", Math.round(rate));
        result.put("samples", visible.getTotalCount());
        result.putAll(percentiles(visible));
        System.out.printf("freshness at %.0f/s: p50 %.1f ms  p99 %.1f ms%n", rate, (double) result.get("p50Ms"),
                (double) result.get("p99Ms"));
        return result;
    }

    /** Events the customers projection has still to handle, from its tokens in the customer schema. */
    private long customerProjectionLag() {
        try (Connection c = postgres(); Statement s = c.createStatement()) {
            long head;
            try (ResultSet rs = s.executeQuery("SELECT coalesce(max(global_index), 0) FROM event_store.domain_event_entry")) {
                rs.next();
                head = rs.getLong(1);
            }
            long position = Long.MAX_VALUE;
            try (ResultSet rs = s.executeQuery("SELECT token FROM customer.token_entry WHERE processor_name = 'customers'")) {
                while (rs.next()) {
                    byte[] token = rs.getBytes(1);
                    long index = token == null ? 0 : JSON.readTree(token).path("index").asLong();
                    position = Math.min(position, index);
                }
            }
            return position == Long.MAX_VALUE ? head : Math.max(0, head - position);
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * Events the peer's tracking processor has still to handle. Approximate: Hibernate's sequence hands out
     * global indexes in blocks, so gaps count as lag.
     */
    private long peerProjectionLag() {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + pgPort + "/peer", "postgres", "");
             Statement s = c.createStatement()) {
            long head;
            try (ResultSet rs = s.executeQuery("SELECT coalesce(max(global_index), 0) FROM domain_event_entry")) {
                rs.next();
                head = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery(
                    "SELECT token FROM token_entry WHERE processor_name = 'customer-summaries' AND token IS NOT NULL")) {
                long position = rs.next() ? JSON.readTree(rs.getBytes(1)).path("index").asLong() : 0;
                return Math.max(0, head - position);
            }
        } catch (Exception e) {
            return -1;
        }
    }

    /** PostgreSQL's ceiling on the same server: single-row inserts of an event-sized row, and 100-row inserts. */
    private Map<String, Object> pgbench() throws Exception {
        Path pgbench = Path.of("/usr/bin/pgbench");
        if (!Files.isExecutable(pgbench)) {
            return Map.of("skipped", "pgbench not installed (Debian package postgresql-client)");
        }
        try (Connection c = postgres(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS pgbench_ceiling");
            s.execute("DROP TABLE IF EXISTS pgbench_ceiling.event_row");
            s.execute("""
                    CREATE TABLE pgbench_ceiling.event_row (id BIGSERIAL PRIMARY KEY, aggregate_identifier VARCHAR(255),
                      sequence_number BIGINT, event_identifier VARCHAR(255) UNIQUE, payload_type VARCHAR(255),
                      time_stamp VARCHAR(255), payload BYTEA, meta_data BYTEA)""");
        }
        Path single = Files.writeString(Files.createTempFile("single", ".sql"), """
                INSERT INTO pgbench_ceiling.event_row (aggregate_identifier, sequence_number, event_identifier, payload_type, time_stamp, payload, meta_data)
                VALUES (gen_random_uuid()::text, 0, gen_random_uuid()::text, 'org.orderly.api.customer.CustomerRegisteredEvent', now()::text,
                        convert_to(repeat('x', 160), 'UTF8'), convert_to('{"traceId":"0123456789abcdef"}', 'UTF8'));
                """);
        Path hundred = Files.writeString(Files.createTempFile("hundred", ".sql"), """
                INSERT INTO pgbench_ceiling.event_row (aggregate_identifier, sequence_number, event_identifier, payload_type, time_stamp, payload, meta_data)
                SELECT gen_random_uuid()::text, 0, gen_random_uuid()::text, 'org.orderly.api.customer.CustomerRegisteredEvent', now()::text,
                       convert_to(repeat('x', 160), 'UTF8'), convert_to('{"traceId":"0123456789abcdef"}', 'UTF8')
                  FROM generate_series(1, 100);
                """);
        Map<String, Object> result = new LinkedHashMap<>();
        for (int clients : clientCounts) {
            result.put("singleRowTps-" + clients, runPgbench(pgbench, single, clients));
        }
        double tps = runPgbench(pgbench, hundred, 1);
        result.put("hundredRowTps-1", tps);
        result.put("hundredRowRowsPerSecond-1", Math.round(tps * 100));
        System.out.println("pgbench: " + result);
        return result;
    }

    private double runPgbench(Path pgbench, Path script, int clients) throws Exception {
        Process process = new ProcessBuilder(pgbench.toString(), "-n", "-h", "localhost", "-p", Integer.toString(pgPort),
                "-U", "postgres", "-c", Integer.toString(clients), "-j", Integer.toString(Math.min(clients, 2)),
                "-T", Long.toString(duration.toSeconds()), "-f", script.toString(), "postgres")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(output);
        if (!tps.find()) {
            throw new IllegalStateException("pgbench failed:\n" + output);
        }
        return Double.parseDouble(tps.group(1));
    }

    private long residentMemoryMb() throws IOException {
        return residentMemoryMb(app);
    }

    private static long residentMemoryMb(Process process) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    private void write() throws IOException {
        Files.createDirectories(out);
        String stamp = Instant.now().toString().replace(":", "-");
        Files.writeString(out.resolve("report-" + stamp + ".json"), JSON.writeValueAsString(report));
        StringBuilder md = new StringBuilder("# Orderly benchmark, " + report.get("startedAt") + "\n\n");
        md.append("Machine: `").append(report.get("machine")).append("`  \nPostgreSQL: `").append(report.get("postgres"))
                .append("`  \nSettings: `").append(report.get("settings")).append("`\n\n");
        md.append("Boot to ready: ").append(report.get("bootToReadyMs")).append(" ms  \n");
        md.append("Resident memory after load: ").append(report.get("residentMemoryMb")).append(" MB\n\n");
        md.append("| workload | clients | ok/s | p50 ms | p99 ms | p99.9 ms | max ms | failed |\n|---|---|---|---|---|---|---|---|\n");
        if (report.get("commandsOverHttp") instanceof Map<?, ?> runs) {
            for (Object value : runs.values()) {
                Map<?, ?> run = (Map<?, ?>) value;
                md.append("| ").append(run.get("workload")).append(" | ").append(run.get("clients")).append(" | ")
                        .append(run.get("throughputPerSecond")).append(" | ").append(run.get("p50Ms")).append(" | ")
                        .append(run.get("p99Ms")).append(" | ").append(run.get("p999Ms")).append(" | ")
                        .append(run.get("maxMs")).append(" | ").append(run.get("failed")).append(" |\n");
            }
        }
        if (report.get("peer") instanceof Map<?, ?> peerReport) {
            md.append("\n## Peer (Axon's defaults, module bench-peer), same run\n\n");
            if (peerReport.get("commandsOverHttp") instanceof Map<?, ?> runs) {
                md.append("Boot to ready: ").append(peerReport.get("bootToReadyMs")).append(" ms  \nResident memory after load: ")
                        .append(peerReport.get("residentMemoryMb")).append(" MB\n\n");
                md.append("| clients | peer ok/s | peer p50 ms | peer p99 ms | peer p99.9 ms | peer max ms | failed "
                        + "| Orderly/peer throughput | Orderly/peer p99 |\n|---|---|---|---|---|---|---|---|---|\n");
                Map<?, ?> ratios = (Map<?, ?>) peerReport.get("orderlyOverPeer");
                for (Object value : runs.values()) {
                    Map<?, ?> run = (Map<?, ?>) value;
                    Map<?, ?> ratio = (Map<?, ?>) ratios.get(String.valueOf(run.get("clients")));
                    md.append("| ").append(run.get("clients")).append(" | ").append(run.get("throughputPerSecond"))
                            .append(" | ").append(run.get("p50Ms")).append(" | ").append(run.get("p99Ms")).append(" | ")
                            .append(run.get("p999Ms")).append(" | ").append(run.get("maxMs")).append(" | ")
                            .append(run.get("failed")).append(" | ").append(ratio == null ? null : ratio.get("throughput"))
                            .append(" | ").append(ratio == null ? null : ratio.get("p99")).append(" |\n");
                }
            }
            if (peerReport.containsKey("failed") || peerReport.containsKey("skipped")) {
                md.append("Peer not measured: `").append(peerReport.containsKey("failed") ? peerReport.get("failed")
                        : peerReport.get("skipped")).append("`\n");
            }
        }
        md.append("\nFreshness at half the maximum registration rate: `").append(report.get("freshnessAtHalfLoad"))
                .append("`\n\npgbench on the same server: `").append(report.get("pgbench")).append("`\n");
        Files.writeString(out.resolve("report-" + stamp + ".md"), md.toString());
        System.out.println("Report written to " + out.resolve("report-" + stamp + ".md"));
    }

    private static Map<String, Object> percentiles(Histogram histogram) {
        Function<Double, Double> ms = p -> Math.round(histogram.getValueAtPercentile(p) / 100.0) / 10.0;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("p50Ms", ms.apply(50.0));
        result.put("p99Ms", ms.apply(99.0));
        result.put("p999Ms", ms.apply(99.9));
        result.put("maxMs", Math.round(histogram.getMaxValue() / 100.0) / 10.0);
        return result;
    }

    private Connection postgres() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + pgPort + "/postgres", "postgres", "");
    }

    private HttpResponse<String> get(String path) {
        return get(httpPort, path);
    }

    private HttpResponse<String> get(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Response post(String path, String body) {
        return post(httpPort, path, body);
    }

    private Response post(int port, String path, String body) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Response(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(-1, "interrupted");
        }
    }

    private void awaitStatus(String path, int status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (get(path).statusCode() != status) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(path + " never answered " + status);
            }
            Thread.sleep(10);
        }
    }

    private static String machine() {
        Runtime runtime = Runtime.getRuntime();
        return System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", " + runtime.availableProcessors()
                + " cores, Java " + System.getProperty("java.version") + ", "
                + ManagementFactory.getOperatingSystemMXBean().getName();
    }

    private static int[] parseInts(String csv) {
        return java.util.Arrays.stream(csv.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    record Response(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("Not JSON (" + status + "): " + body, e);
            }
        }
    }
}
