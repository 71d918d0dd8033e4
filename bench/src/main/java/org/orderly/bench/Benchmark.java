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
 * <p>Workloads, in this order, each optional through {@code bench.workloads} (all by default):
 * {@code register} (closed-loop registrations at each client count; lag of the customers projection judged
 * at the largest), {@code peer}, {@code token} (the CPU a bearer token's validation costs per request: public reads
 * without and with a staff token, alternating), {@code freshness} (open loop at half the maximum sustained registration rate),
 * {@code order} at the first client count (closed-loop placements), {@code fulfilment} (open loop at half the
 * placement rate the order saga sustains, placement to CONFIRMED), {@code pgbench}, {@code rebuild}
 * ({@code bench.rebuildEvents} synthetic customer events written as before personal data was sealed, the live
 * processors' catch-up, a replay of the customers projection through the operator API, Orderly's one-time sealing
 * command, and the same replay of the now sealed store, which is the one judged), and last {@code order} at the other client counts (lag of the
 * orders projection judged at the largest): they outrun the saga, and nothing waits for the backlog they leave.
 * A rate a workload needs from one that was not run comes from {@code bench.freshnessRate} (100) or
 * {@code bench.fulfilmentRate} (50); either, when set, overrides the measured one (not judged then).
 * {@code bench.skipSustained} skips the sustained-rate probes of registrations (quicker A/B runs). The report
 * ends with every target of the issue, met or not. Workload {@code cluster} ({@link ClusterWorkload}: the split
 * deployables as one command and one query node against two of each, on a PostgreSQL and a Keycloak of their own)
 * is not among the defaults, since Keycloak takes minutes to start; when asked for, it runs first, and alone
 * ({@code bench.workloads=cluster}) without starting the all-in-one application at all.
 *
 * <p>Settings (system properties): {@code bench.duration} seconds per measured run (60),
 * {@code bench.warmup} seconds before each (10), {@code bench.clients} ("1,16,64"), {@code bench.workloads},
 * {@code bench.rebuildEvents} (1000000), {@code bench.pollMillis} (20), {@code bench.drainSeconds} (10),
 * {@code bench.catchUpTimeout} / {@code bench.replayTimeout} / {@code bench.pendingTimeout} (s: 1800, 1800, 600),
 * {@code bench.app} (the app jar), {@code bench.peer} (the peer jar), {@code bench.out} (bench/results).
 */
public final class Benchmark {

    /** Schema and processor of every read model a registration feeds. */
    static final String[][] REGISTRATION_PROCESSORS = {{"customer", "customers"},
            {"notification", "notification-contacts"}, {"notification", "notifications"},
            {"orders", "order-customer-copies"}};
    static final String ALL_WORKLOADS = "register,peer,token,freshness,order,fulfilment,pgbench,rebuild";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Duration duration = Duration.ofSeconds(Long.getLong("bench.duration", 60));
    private final Duration warmup = Duration.ofSeconds(Long.getLong("bench.warmup", 10));
    private final int[] clientCounts = parseInts(System.getProperty("bench.clients", "1,16,64"));
    private final Path appJar = Path.of(System.getProperty("bench.app", "app/target/app-0.1.0-SNAPSHOT.jar"));
    private final Path peerJar = Path.of(System.getProperty("bench.peer", "bench-peer/target/bench-peer.jar"));
    private final Path out = Path.of(System.getProperty("bench.out", "bench/results"));
    private final List<String> workloads = List.of(System.getProperty("bench.workloads", ALL_WORKLOADS).split("\\s*,\\s*"));
    /**
     * JVM heap and collector options Orderly and the peer both run with ({@code bench.appHeap}; by default what
     * {@code app/start-fast.sh} starts Orderly with; blank for the JVM's own choice). The million-event catch-up and
     * replay of the rebuild workload keep under 100 MB live in it.
     */
    static final String DEFAULT_JVM_OPTIONS = "-Xmx512m -XX:+UseParallelGC";
    private final List<String> heap = System.getProperty("bench.appHeap", DEFAULT_JVM_OPTIONS).isBlank() ? List.of()
            : List.of(System.getProperty("bench.appHeap", DEFAULT_JVM_OPTIONS).trim().split("\\s+"));
    private final long rebuildEvents = Long.getLong("bench.rebuildEvents", 1_000_000);
    /**
     * Passwords of Orderly's {@code staff} and {@code operator} accounts, set when Orderly first starts (from the
     * environment, not the command line). The harness logs in as staff for registrations, reads, products and
     * stock, as operator for the operator API and Prometheus, and as the customers it signs up for their orders.
     */
    private final String staffPassword = UUID.randomUUID().toString();
    private final String operatorPassword = UUID.randomUUID().toString();
    private final String customerPassword = UUID.randomUUID().toString();
    /** {@code Authorization} header values, from the embedded issuer's token endpoint once Orderly is ready. */
    private volatile String staffAuthorization;
    private volatile String operatorAuthorization;
    private final int httpPort = freePort();
    private final int pgPort = freePort();
    private final int peerPort = freePort();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Object> report = new LinkedHashMap<>();
    /** Customers who place the orders: each signed up with a password, with its own token. */
    private final List<Customer> customers = new ArrayList<>();
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
                "clients", java.util.Arrays.stream(clientCounts).boxed().toList(), "workloads", workloads,
                "rebuildEvents", rebuildEvents));
        try {
            if (workloads.contains("cluster")) {
                // First, on a PostgreSQL, identity provider and nodes of its own, all stopped before the all-in-one
                // application starts: nothing of the other workloads (an order saga's backlog) works beside it.
                report.put("cluster", new ClusterWorkload(warmup, duration, heap, out).run());
                if (workloads.stream().allMatch("cluster"::equals)) {
                    return;
                }
            }
            bootToReady();
            database();
            login();
            seed();
            Map<String, Object> commands = new LinkedHashMap<>();
            report.put("commandsOverHttp", commands);
            int maxClients = java.util.Arrays.stream(clientCounts).max().orElse(1);
            double maxRegistrations = 0;
            double sustainedRegistrations = 0;
            if (workloads.contains("register")) {
                for (int clients : clientCounts) {
                    Map<String, Object> registration = load("customer registrations", clients, this::register,
                            "customer", "customers", clients == maxClients);
                    maxRegistrations = Math.max(maxRegistrations, (double) registration.get("throughputPerSecond"));
                    commands.put("register-" + clients, registration);
                }
                // A closed loop measures what the command side accepts, whatever the read side does; sustained is
                // the highest rate at which every read model a registration feeds keeps up.
                if (!Boolean.getBoolean("bench.skipSustained")) {
                    Map<String, Object> sustained = sustainedRate("Orderly registrations, read models current",
                            maxRegistrations, maxRegistrations, this::register, this::registrationBacklog,
                            () -> awaitBacklog(this::registrationBacklog, 300));
                    report.put("registrationsSustained", sustained);
                    sustainedRegistrations = (double) sustained.get("maxSustainedPerSecond");
                }
            }
            if (workloads.contains("peer")) {
                report.put("peer", peer(commands));
            }
            if (workloads.contains("token")) {
                report.put("tokenValidation", tokenValidation());
            }
            if (workloads.contains("freshness")) {
                // Half the maximum sustained registration rate of this run (the highest rate at which every read
                // model a registration feeds keeps up): a closed loop's maximum is what the command side accepts
                // while its read models fall behind, so half of it is more than half load. bench.freshnessRate, when
                // set, overrides it (an A/B at a fixed rate; not judged). Before the order runs, whose saga backlog
                // would still be working beside it.
                String fixedRate = System.getProperty("bench.freshnessRate");
                double half = fixedRate != null ? Double.parseDouble(fixedRate)
                        : sustainedRegistrations > 0 ? sustainedRegistrations / 2
                        : maxRegistrations > 0 ? maxRegistrations / 2 : 100;
                Map<String, Object> freshness = freshness(half);
                freshness.put("halfOfMeasuredMaximum", fixedRate == null && maxRegistrations > 0);
                freshness.put("halfOf", fixedRate != null ? "bench.freshnessRate"
                        : sustainedRegistrations > 0 ? "maximum sustained registrations"
                        : maxRegistrations > 0 ? "closed-loop maximum registrations" : "default 100/s");
                report.put("freshnessAtHalfLoad", freshness);
            }
            // The order runs beyond the first client count place orders faster than the order saga fulfils them
            // (a closed loop at 16 clients outruns it many times), so the backlog they leave takes the saga tens of
            // minutes; they run last, after every workload that needs a quiet saga or every processor at the head.
            double maxOrders = 0;
            boolean orders = workloads.contains("order");
            if (orders) {
                maxOrders = placeOrders(commands, clientCounts[0], maxClients);
            }
            if (workloads.contains("fulfilment")) {
                // Half the maximum sustained load: the highest placement rate the order saga keeps up with, found
                // by open-loop probes (the closed-loop placement maximum outruns the saga, whose backlog then grows).
                Map<String, Object> sustained = System.getProperty("bench.fulfilmentRate") == null
                        ? sustainedOrderRate(maxOrders > 0 ? maxOrders : 100) : null;
                boolean found = sustained != null && (double) sustained.get("maxSustainedPerSecond") > 0;
                Map<String, Object> fulfilment = fulfilment(found
                        ? (double) sustained.get("maxSustainedPerSecond") / 2
                        : Double.parseDouble(System.getProperty("bench.fulfilmentRate", "50")));
                fulfilment.put("halfOfMeasuredMaximum", found);
                fulfilment.put("sustainedOrderRate", sustained);
                report.put("fulfilmentAtHalfLoad", fulfilment);
            }
            report.put("residentMemoryMb", residentMemoryMb());
            if (workloads.contains("pgbench")) {
                report.put("pgbench", pgbench(true));
            }
            if (workloads.contains("rebuild")) {
                report.put("rebuild", rebuild());
            }
            if (orders) {
                for (int i = 1; i < clientCounts.length; i++) {
                    placeOrders(commands, clientCounts[i], maxClients);
                }
                report.put("residentMemoryMbAfterOrders", residentMemoryMb());
            }
        } finally {
            stopPeer();
            if (app != null) {
                app.destroy();
                app.waitFor(30, TimeUnit.SECONDS);
            }
            report.put("targets", targets());
            write();
            deleteWorkDirectory();
        }
    }

    /** One closed-loop run of order placements; the orders projection's lag is judged at the largest count. */
    private double placeOrders(Map<String, Object> commands, int clients, int maxClients) throws Exception {
        Map<String, Object> orders = load("order placements", clients, this::placeOrder, "orders", "orders",
                clients == maxClients);
        commands.put("order-" + clients, orders);
        return (double) orders.get("throughputPerSecond");
    }

    /**
     * Starts Orderly the way {@code app/start-fast.sh} does: the jar extracted (Spring Boot's
     * {@code -Djarmode=tools extract}) and a class-data-sharing archive from a training run, with the heap of
     * {@code bench.appHeap} (none: the JVM's sizing). The training run (a start to ready and a stop,
     * on a throwaway data directory) is preparation, not measured, like a warm-up. For comparison the fat jar
     * alone is booted once first, on a fresh data directory of its own, and its time reported beside it.
     * Every boot includes the embedded PostgreSQL's initdb and start.
     */
    private void bootToReady() throws Exception {
        Path work = Files.createTempDirectory("orderly-bench-");
        workDirectory = work;
        // e.g. -Dbench.appJvmArgs="-XX:StartFlightRecording=filename=bench/results/app.jfr" to profile Orderly
        String extra = System.getProperty("bench.appJvmArgs", "");
        List<String> jvmArgs = new ArrayList<>(heap);
        if (!extra.isBlank()) {
            jvmArgs.addAll(List.of(extra.trim().split("\\s+")));
        }
        Map<String, Object> boot = new LinkedHashMap<>();
        report.put("boot", boot);

        long plain = bootAndStop(heap, List.of("-jar", appJar.toString()), work.resolve("plain"), "app-plain.log");
        boot.put("fatJarMs", plain);

        Path layout = work.resolve("extracted");
        long extractStart = System.nanoTime();
        run(List.of("java", "-Djarmode=tools", "-jar", appJar.toString(), "extract", "--destination", layout.toString()));
        Path jar = layout.resolve(appJar.getFileName());
        Path archive = work.resolve("orderly.jsa");
        List<String> training = new ArrayList<>(heap);
        training.add("-XX:ArchiveClassesAtExit=" + archive);
        bootAndStop(training, List.of("-jar", jar.toString()), work.resolve("training"), "app-training.log");
        boot.put("preparationMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - extractStart));
        boolean shared = Files.isReadable(archive);
        boot.put("classDataSharing", shared);

        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(jvmArgs);
        if (shared) {
            command.add("-XX:SharedArchiveFile=" + archive);
        }
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(appArguments(work.resolve("pgdata"), pgPort));
        appCommand = List.copyOf(command);
        boot.put("command", String.join(" ", command));
        long start = System.nanoTime();
        app = withAccounts(new ProcessBuilder(command))
                .redirectErrorStream(true)
                .redirectOutput(out.resolve("app.log").toFile())
                .start();
        awaitReady(app, httpPort, "app.log");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        boot.put("extractedWithClassDataSharingMs", ms);
        report.put("bootToReadyMs", ms);
        System.out.printf("boot to ready: %d ms (fat jar alone: %d ms)%n", ms, plain);
    }

    /** The database, extracted jar and archive of this run: gigabytes after a rebuild. {@code bench.keep} keeps them. */
    private void deleteWorkDirectory() {
        if (workDirectory == null || Boolean.getBoolean("bench.keep")) {
            return;
        }
        try (var paths = Files.walk(workDirectory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            System.out.println("could not delete " + workDirectory + ": " + e);
        }
    }

    private Path workDirectory;
    /** How Orderly was started, to start it again (after sealing the store) the same way. */
    private List<String> appCommand;

    private List<String> appArguments(Path data, int port) {
        return List.of("--server.port=" + httpPort, "--orderly.database.embedded.data-directory=" + data,
                "--orderly.database.embedded.port=" + port, "--logging.level.root=WARN",
                // The rate limiter runs as in production, but with room for every request: all the load comes from one
                // address and a few users, and public reads alone exceed its default 2,000/s per caller.
                "--orderly.web.rate-limit.anonymous-per-second=1000000",
                "--orderly.web.rate-limit.anonymous-burst=1000000",
                "--orderly.web.rate-limit.authenticated-per-second=1000000",
                "--orderly.web.rate-limit.authenticated-burst=1000000",
                // tokens outlive the run: the harness logs in once
                "--orderly.security.embedded.access-token-ttl=" + System.getProperty("bench.tokenTtl", "PT4H"));
    }

    /** The staff and operator passwords, from the environment, not the command line, which any local user can list. */
    private ProcessBuilder withAccounts(ProcessBuilder process) {
        process.environment().put("ORDERLY_SECURITY_EMBEDDED_STAFF_PASSWORD", staffPassword);
        process.environment().put("ORDERLY_SECURITY_EMBEDDED_OPERATOR_PASSWORD", operatorPassword);
        return process;
    }

    /** Tokens of the staff and operator accounts. */
    private void login() {
        staffAuthorization = "Bearer " + token("staff", staffPassword);
        operatorAuthorization = "Bearer " + token("operator", operatorPassword);
    }

    /** An access token from the embedded issuer ({@code grant_type=password}, client {@code orderly-cli}). */
    private String token(String login, String password) {
        String form = "grant_type=password&client_id=orderly-cli&username="
                + java.net.URLEncoder.encode(login, StandardCharsets.UTF_8) + "&password="
                + java.net.URLEncoder.encode(password, StandardCharsets.UTF_8);
        Response response = send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        if (response.status() != 200) {
            throw new IllegalStateException("no token for " + login + ": " + response.status() + " " + response.body());
        }
        return response.json().get("access_token").asText();
    }

    /** Boots Orderly on a fresh data directory until it answers, then stops it; returns the time to ready. */
    private long bootAndStop(List<String> jvmArgs, List<String> launch, Path data, String log) throws Exception {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(jvmArgs);
        command.addAll(launch);
        command.addAll(appArguments(data.resolve("pgdata"), freePort()));
        long start = System.nanoTime();
        Process process = withAccounts(new ProcessBuilder(command)).redirectErrorStream(true)
                .redirectOutput(out.resolve(log).toFile()).start();
        try {
            awaitReady(process, httpPort, log);
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        } finally {
            process.destroy(); // a graceful stop: the class-data archive is written at exit
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private void awaitReady(Process process, int port, String log) throws InterruptedException {
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Orderly exited during start; see " + out.resolve(log));
            }
            try {
                // public: the query side answers
                if (get(port, "/api/products?limit=1").statusCode() == 200) {
                    return;
                }
            } catch (java.io.UncheckedIOException notYet) {
                // still starting
            }
            Thread.sleep(20);
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("Failed: " + String.join(" ", command));
        }
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
                Map<String, Object> run = load("peer registrations", clients, this::registerOnPeer, "peer",
                        "customer-summaries", false);
                runs.put("register-" + clients, run);
                Map<?, ?> ours = (Map<?, ?>) orderly.get("register-" + clients);
                if (ours == null) {
                    continue; // Orderly's registrations were not run: no ratio
                }
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
            // The closed loops leave the peer's projection far behind (Axon's default tracking processor handles a
            // small share of what the commands append), so its sustained rate is probed on a fresh peer and database,
            // warmed up at its one-client rate first.
            double peerMax = runs.values().stream().mapToDouble(r -> (double) ((Map<?, ?>) r).get("throughputPerSecond"))
                    .max().orElse(0);
            double peerOneClient = (double) ((Map<?, ?>) runs.values().iterator().next()).get("throughputPerSecond");
            stopPeer();
            startPeer();
            openLoop(peerOneClient, System.nanoTime() + warmup.toNanos(), 30, scheduled -> registerOnPeer());
            awaitBacklog(this::peerProjectionLag, 300);
            Map<String, Object> sustained = sustainedRate("peer registrations, read model current", peerMax, peerMax,
                    this::registerOnPeer, this::peerProjectionLag, () -> awaitBacklog(this::peerProjectionLag, 300));
            result.put("registrationsSustained", sustained);
            if (report.get("registrationsSustained") instanceof Map<?, ?> ours) {
                Double ratio = ratio((double) ours.get("maxSustainedPerSecond"), (double) sustained.get("maxSustainedPerSecond"));
                result.put("orderlyOverPeerSustained", ratio);
                System.out.printf("Orderly/peer sustained (read models current): %sx%n", ratio);
            }
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
        List<String> peerCommand = new ArrayList<>(List.of("java"));
        peerCommand.addAll(heap);
        peerCommand.addAll(List.of("-jar", peerJar.toString(), "--server.port=" + peerPort,
                "--spring.datasource.url=jdbc:postgresql://localhost:" + pgPort + "/peer",
                "--spring.datasource.username=postgres",
                "--logging.level.root=WARN"));
        ProcessBuilder peerProcess = new ProcessBuilder(peerCommand);
        // From the environment, not the command line, which any local user can list.
        peerProcess.environment().put("SPRING_DATASOURCE_PASSWORD", superuserPassword());
        peer = peerProcess
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

    /** A customer who places orders, and the {@code Authorization} header value it places them with. */
    record Customer(String id, String authorization) {
    }

    /**
     * Customers with room on their credit limit, each with a login and a token (orders are placed by the customer
     * themself; {@code bench.orderCustomers}, 16: a password hash each, to register and to log in, so a handful
     * reused rather than one per order), products, and plenty of stock.
     */
    private void seed() throws Exception {
        for (int i = 0; i < Integer.getInteger("bench.orderCustomers", 16); i++) {
            String email = "seed-" + UUID.randomUUID() + "@example.com";
            // staff register them with a password (a login) and a credit limit, which only staff may set
            Response created = post("/api/customers", "{\"email\": \"" + email + "\", \"name\": \"Seed\", \"password\": \""
                    + customerPassword + "\", \"creditLimit\": {\"amount\": \"900000000\", \"currency\": \"EUR\"}}");
            expect(created, 201);
            customers.add(new Customer(created.json().get("customerId").asText(),
                    "Bearer " + token(email, customerPassword)));
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
        awaitStatus("/api/customers/" + customers.get(customers.size() - 1).id(), 200);
    }

    /** Staff register a customer they serve: a customer record without a login (no password to hash). */
    private Response register() {
        return post("/api/customers", "{\"email\": \"b-" + UUID.randomUUID() + "@example.com\", \"name\": \"Bench\"}");
    }

    private Response placeOrder() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Customer customer = customers.get(random.nextInt(customers.size()));
        String product = products.get(random.nextInt(products.size()));
        return post(httpPort, "/api/orders", "{\"customerId\": \"" + customer.id() + "\", \"lines\": [{\"productId\": \""
                + product + "\", \"quantity\": 1}]}", customer.authorization());
    }

    /** Closed-loop load: {@code clients} threads, each sending its next request when the last is answered. */
    private Map<String, Object> load(String name, int clients, java.util.function.Supplier<Response> operation,
            String schema, String processor, boolean judgeLag) throws InterruptedException {
        java.util.function.LongSupplier projectionLag = "peer".equals(schema) ? this::peerProjectionLag
                : () -> projectionLag(schema, processor);
        List<Long> lagSamples = new ArrayList<>();
        Process underLoad = "peer".equals(schema) ? peer : app;
        boolean orders = "orders".equals(processor);
        List<Long> pendingSamples = new ArrayList<>();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("workload", name);
        result.put("clients", clients);
        result.putAll(closedLoop(clients, operation, warmup, duration, () -> CpuTime.now(underLoad), () -> {
            lagSamples.add(projectionLag.getAsLong());
            if (orders) {
                pendingSamples.add(pendingOrders());
            }
        }));
        Long drainMs = judgeLag ? drain(schema, processor) : null;
        Object cpu = result.get("cpuPerOperation");
        result.put("lagProcessor", processor);
        result.put("lagEventsEverySecond", lagSamples);
        if (judgeLag) {
            result.put("lagAtFullLoad", lagVerdict(processor, lagSamples, (double) result.get("throughputPerSecond"), drainMs));
        }
        if (orders) {
            // The saga's backlog, which the orders projection's lag does not show: orders placed but neither
            // confirmed nor rejected yet. Growing through the run means placements outpace fulfilment.
            result.put("pendingOrdersEverySecond", pendingSamples);
            result.put("pendingOrdersAfterLoad", pendingOrders());
            System.out.printf("orders still PENDING (order saga backlog) during the run: %s; after it: %s%n", pendingSamples,
                    result.get("pendingOrdersAfterLoad"));
        }
        System.out.printf("%-24s %3d clients: %8.1f/s  p50 %6.1f ms  p99 %6.1f ms  failed %d  CPU per op %s%n", name,
                clients, (double) result.get("throughputPerSecond"), (double) result.get("p50Ms"),
                (double) result.get("p99Ms"), (long) result.get("failed"), cpu);
        return result;
    }

    /**
     * The closed loop of {@link #load} for any system under test: {@code clients} threads, each sending its next
     * request when the last is answered; {@code warmup} unmeasured, then {@code duration} measured, with
     * {@code everySecond} run once a second while measuring (a backlog sampled, say) and {@code cpu} snapshotted
     * at both ends of it. Gives ok, failed, throughputPerSecond, the latency percentiles of the 2xx answers and
     * cpuPerOperation (of the application, PostgreSQL and this load generator: when the cores are saturated,
     * throughput is the inverse of their sum).
     */
    static Map<String, Object> closedLoop(int clients, java.util.function.Supplier<Response> operation, Duration warmup,
            Duration duration, java.util.function.Supplier<CpuTime> cpu, Runnable everySecond) throws InterruptedException {
        Histogram latencies = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
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
    static void openLoop(double rate, long endNanos, int drainSeconds, java.util.function.LongConsumer task)
            throws InterruptedException {
        long intervalNanos = (long) (1e9 / Math.max(rate, 1));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newCachedThreadPool();
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

    /**
     * What validating a bearer token costs Orderly per request: closed-loop {@code GET /api/products/{id}} (a public
     * endpoint, a random seeded product each time) at {@code bench.tokenClients} (16) clients, alternating between
     * phases without a token (A) and with the staff token (B), which Spring Security validates even on a public
     * path (signature, issuer, audience, expiry). After a warm-up of {@code bench.tokenWarmup} s (the larger of
     * {@code bench.warmup} and 60; half of it each way: the read path has barely run before; after 5 s the anonymous
     * CPU per request still fell 1,465 → 872 → 482 µs over the rounds, after 30 s 872 → 510 → 430, after 60 s it held
     * at 382–442), A and B take turns {@code bench.tokenRounds} (3)
     * times, {@code bench.tokenSeconds} (10) s each; the clients keep running across phases, and a request counts
     * for the phase it started and ended in. Each phase: requests/s, p50/p99 and CPU µs per request of Orderly,
     * PostgreSQL and the harness from {@code /proc}; then both modes summed over their phases, and B − A in
     * Orderly's CPU µs per request: the validation's cost. As B always follows A, a drift (the JIT, the machine's
     * hour) lands in B − A; so each B is also compared with the mean of the A before and the A after it.
     */
    private Map<String, Object> tokenValidation() throws InterruptedException {
        int clients = Integer.getInteger("bench.tokenClients", 16);
        int rounds = Integer.getInteger("bench.tokenRounds", 3);
        long phaseMillis = TimeUnit.SECONDS.toMillis(Long.getLong("bench.tokenSeconds", 10));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("clients", clients);
        result.put("phaseSeconds", phaseMillis / 1000);
        result.put("rounds", rounds);
        // The token is checked, not ignored, on a public path: a forged one (signature of another) is refused.
        String[] parts = staffAuthorization.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        int forgedStatus = get(httpPort, "/api/products/" + products.get(0), "Authorization", forged).statusCode();
        result.put("forgedTokenOnPublicPathStatus", forgedStatus);
        if (forgedStatus != 401) {
            System.out.println("TOKEN: a forged token on GET /api/products/{id} answered " + forgedStatus + ", not 401");
        }
        record Phase(String mode, String authorization, Histogram latencies, AtomicLong ok, AtomicLong failed,
                     Map<Integer, Long> failures) {
            Phase(String mode, String authorization) {
                this(mode, authorization, new Histogram(TimeUnit.SECONDS.toMicros(60), 3), new AtomicLong(), new AtomicLong(),
                        new java.util.concurrent.ConcurrentHashMap<>());
            }
        }
        Phase stop = new Phase("stop", null);
        java.util.concurrent.atomic.AtomicReference<Phase> current =
                new java.util.concurrent.atomic.AtomicReference<>(new Phase("warm-up", null));
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(() -> {
                Phase phase;
                while ((phase = current.get()) != stop) {
                    String path = "/api/products/" + products.get(ThreadLocalRandom.current().nextInt(products.size()));
                    long start = System.nanoTime();
                    int status;
                    try {
                        status = phase.authorization() == null ? get(httpPort, path).statusCode()
                                : get(httpPort, path, "Authorization", phase.authorization()).statusCode();
                    } catch (RuntimeException e) {
                        status = -1;
                    }
                    long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
                    if (current.get() != phase) {
                        continue; // started in one phase, ended in the next: counts for neither
                    }
                    if (status == 200) {
                        phase.ok().incrementAndGet();
                        synchronized (phase.latencies()) {
                            phase.latencies().recordValue(Math.min(micros, phase.latencies().getHighestTrackableValue()));
                        }
                    } else {
                        phase.failed().incrementAndGet();
                        phase.failures().merge(status, 1L, Long::sum);
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        long warmupMillis = TimeUnit.SECONDS.toMillis(Long.getLong("bench.tokenWarmup", Math.max(60, warmup.toSeconds())));
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
                CpuTime before = CpuTime.now(app);
                long start = System.nanoTime();
                current.set(phase);
                Thread.sleep(phaseMillis);
                CpuTime after = CpuTime.now(app);
                long nanos = System.nanoTime() - start;
                current.set(new Phase("between", null)); // the phase is over; the next one starts after its CPU snapshot
                long ok = phase.ok().get();
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("round", round);
                figures.put("mode", mode);
                figures.put("ok", ok);
                figures.put("failed", phase.failed().get());
                if (!phase.failures().isEmpty()) {
                    figures.put("failedByStatus", new java.util.TreeMap<>(phase.failures()));
                }
                figures.put("requestsPerSecond", Math.round(ok / (nanos / 1e9) * 10) / 10.0);
                figures.putAll(percentiles(phase.latencies()));
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
                merged.computeIfAbsent(mode, k -> new Histogram(TimeUnit.SECONDS.toMicros(60), 3)).add(phase.latencies());
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
            figures.putAll(percentiles(merged.get(entry.getKey())));
            figures.put("appMicros", sum[0] == 0 ? null : Math.round(sum[2] * 10_000.0 / sum[0] * 10) / 10.0);
            figures.put("postgresMicros", sum[0] == 0 ? null : Math.round(sum[3] * 10_000.0 / sum[0] * 10) / 10.0);
            figures.put("harnessMicros", sum[0] == 0 ? null : Math.round(sum[4] * 10_000.0 / sum[0] * 10) / 10.0);
            modes.put(entry.getKey(), figures);
        }
        result.put("phases", phases);
        result.put("modes", modes);
        Double anonymous = number(modes.get("anonymous"), "appMicros");
        Double token = number(modes.get("token"), "appMicros");
        Double difference = anonymous == null || token == null ? null : Math.round((token - anonymous) * 10) / 10.0;
        result.put("tokenMinusAnonymousAppMicrosPerRequest", difference);
        // the same difference per round, for how far it moves between neighbouring phases
        List<Double> perRound = new ArrayList<>();
        for (int i = 0; i + 1 < phases.size(); i += 2) {
            Double a = number(phases.get(i), "appMicros");
            Double b = number(phases.get(i + 1), "appMicros");
            perRound.add(a == null || b == null ? null : Math.round((b - a) * 10) / 10.0);
        }
        result.put("tokenMinusAnonymousAppMicrosPerRound", perRound);
        // each B against the mean of the A phases either side of it: a linear drift cancels
        List<Double> bracketed = new ArrayList<>();
        for (int i = 1; i + 1 < phases.size(); i += 2) {
            Double before = number(phases.get(i - 1), "appMicros");
            Double b = number(phases.get(i), "appMicros");
            Double after = number(phases.get(i + 1), "appMicros");
            bracketed.add(before == null || b == null || after == null ? null
                    : Math.round((b - (before + after) / 2) * 10) / 10.0);
        }
        result.put("tokenMinusNeighbouringAnonymousAppMicros", bracketed);
        System.out.printf("token validation: Orderly CPU per request %s µs without a token, %s µs with one: %s µs more "
                + "(per round: %s; each B against the A either side: %s); requests/s %s vs %s%n", anonymous, token,
                difference, perRound, bracketed,
                number(modes.get("anonymous"), "requestsPerSecond"), number(modes.get("token"), "requestsPerSecond"));
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

    /** Open-loop registrations at {@code rate} per second; each is timed from its 2xx to the GET that shows it. */
    private Map<String, Object> freshness(double rate) throws InterruptedException {
        // Half load means half load: the order saga's backlog from the order runs would otherwise still be
        // working beside it (after a full run's placements, for a few hundred seconds).
        Map<String, Object> pendingBefore = awaitNoPendingOrders();
        Histogram visible = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        AtomicLong registered = new AtomicLong();
        AtomicLong notVisible = new AtomicLong();
        AtomicLong maxSendLateMicros = new AtomicLong();
        // Open loop: a ticker hands each registration at its time to a thread of its own, so a slow read
        // never holds back the next registration. One registration in bench.freshnessReadEvery (4) is followed
        // by one read that sends back the registration's Orderly-Position: Orderly answers it when the customers
        // projection has passed that position, so the time is exact to a few tens of milliseconds without polling (polling every 2 ms sent
        // Orderly more GETs than registrations, and at 515/s the 16 polling workers fell to 308 registrations/s).
        // Reading after every registration added a read per registration to the half load being measured.
        int readEvery = Integer.getInteger("bench.freshnessReadEvery", 4);
        AtomicLong sequence = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long measureTo = measureFrom + duration.toNanos();
        openLoop(rate, measureTo, 30, scheduled -> {
            boolean measured = scheduled >= measureFrom;
            if (measured) {
                maxSendLateMicros.accumulateAndGet(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - scheduled),
                        Math::max);
            }
            try {
                Response created = register();
                long acknowledged = System.nanoTime();
                if (created.status() != 201 || !measured) {
                    failed.addAndGet(measured ? 1 : 0);
                    return;
                }
                registered.incrementAndGet();
                if (sequence.incrementAndGet() % readEvery != 0) {
                    return;
                }
                String id = created.json().get("customerId").asText();
                HttpResponse<String> read = get("/api/customers/" + id, "Orderly-Position", created.position());
                if (read.statusCode() != 200
                        || !"true".equals(read.headers().firstValue("Orderly-Position-Reached").orElse(null))) {
                    notVisible.incrementAndGet();
                    return;
                }
                long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - acknowledged);
                synchronized (visible) {
                    visible.recordValue(Math.min(micros, visible.getHighestTrackableValue()));
                }
            } catch (RuntimeException e) {
                failed.addAndGet(measured ? 1 : 0);
            }
        });
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("targetRatePerSecond", Math.round(rate));
        result.put("registeredPerSecond", Math.round(registered.get() / (duration.toNanos() / 1e9)));
        result.put("maxSendLateMs", maxSendLateMicros.get() / 1000.0);
        result.put("notVisibleWithin10s", notVisible.get());
        result.put("failedRegistrations", failed.get());
        result.put("readEvery", readEvery);
        result.put("pendingOrdersBefore", pendingBefore);
        result.put("samples", visible.getTotalCount());
        result.putAll(percentiles(visible));
        // Orderly's own split of the way (orderly.processor.event.age, last minute): waiting to be handled, and
        // handled through commit, for the customers projection the reads wait on.
        Map<String, Object> ages = eventAges("customers");
        result.put("customersEventAgeMs", ages);
        System.out.printf("freshness at %.0f/s (registered %d/s, failed %d; 1 in %d read): p50 %.1f ms  p99 %.1f ms, "
                        + "not visible within 10 s: %d%n", rate, result.get("registeredPerSecond"), failed.get(), readEvery,
                (double) result.get("p50Ms"), (double) result.get("p99Ms"), notVisible.get());
        System.out.println("  customers projection, event age (Orderly's metric, last minute): " + ages);
        return result;
    }

    /** p50/p99 of {@code orderly.processor.event.age} of {@code processor} per stage, in ms, from Prometheus. */
    private Map<String, Object> eventAges(String processor) {
        Map<String, Object> ages = new LinkedHashMap<>();
        Response scrape = send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/actuator/prometheus"))
                .header("Authorization", operatorAuthorization()).GET().build());
        if (scrape.status() != 200) {
            ages.put("unavailable", scrape.status());
            return ages;
        }
        java.util.regex.Pattern line = java.util.regex.Pattern.compile(
                "orderly_processor_event_age_seconds\\{(.*)\\} (\\S+)");
        for (String text : scrape.body().split("\n")) {
            java.util.regex.Matcher m = line.matcher(text);
            if (!m.matches() || !m.group(1).contains("processor=\"" + processor + "\"")) {
                continue;
            }
            java.util.regex.Matcher stage = java.util.regex.Pattern.compile("stage=\"(\\w+)\"").matcher(m.group(1));
            java.util.regex.Matcher quantile = java.util.regex.Pattern.compile("quantile=\"([0-9.]+)\"").matcher(m.group(1));
            if (stage.find() && quantile.find()) {
                String q = quantile.group(1).equals("0.5") ? "p50" : quantile.group(1).equals("0.99") ? "p99" : null;
                if (q != null) {
                    ages.put(stage.group(1) + "-" + q, Math.round(Double.parseDouble(m.group(2)) * 10_000) / 10.0);
                }
            }
        }
        return ages;
    }

    /**
     * Open-loop order placements at {@code rate} per second: a ticker hands each placement, at its scheduled
     * time, to a pool large enough that no placement waits for an earlier one. The figure judged is taken from
     * every order's own history once the run is over: CONFIRMED's time stamp (the moment the order aggregate
     * stored its confirmation) minus the wall-clock time the placement was scheduled (same machine, same clock;
     * a backlog in the harness counts against Orderly rather than hiding). Reading each order once, after the
     * run, costs Orderly nothing while it works. Polling every order while it runs did: at 20 ms a poll, a few
     * dozen orders in flight sent Orderly more GETs than orders, and the polls took the CPU the orders needed.
     * So only one order in {@code bench.fulfilmentPollEvery} (10) is polled, every {@code bench.pollMillis}
     * (20) ms, for the time until CONFIRMED shows in the order query endpoint (reported beside it, not judged).
     * Orders still PENDING from earlier workloads are waited for first (up to {@code bench.pendingTimeout}, 600 s).
     */
    private Map<String, Object> fulfilment(double rate) throws InterruptedException {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("pendingOrdersBefore", awaitNoPendingOrders());
        Histogram byHistory = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        Histogram seen = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        long pollMillis = Long.getLong("bench.pollMillis", 20);
        int pollEvery = Integer.getInteger("bench.fulfilmentPollEvery", 10);
        AtomicLong maxSendLateMicros = new AtomicLong();
        AtomicLong sequence = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        record Placed(String orderId, Instant scheduledAt) {
        }
        java.util.Queue<Placed> placed = new java.util.concurrent.ConcurrentLinkedQueue<>();
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long measureTo = measureFrom + duration.toNanos();
        openLoop(rate, measureTo, 45, scheduled -> {
            Instant scheduledAt = Instant.now().plusNanos(scheduled - System.nanoTime());
            boolean measured = scheduled >= measureFrom;
            maxSendLateMicros.accumulateAndGet(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - scheduled), Math::max);
            Response created = placeOrder();
            if (!measured) {
                return;
            }
            if (created.status() / 100 != 2) {
                refused.incrementAndGet();
                return;
            }
            String id = created.json().get("orderId").asText();
            placed.add(new Placed(id, scheduledAt));
            if (sequence.incrementAndGet() % pollEvery != 0) {
                return;
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                HttpResponse<String> order = get("/api/orders/" + id);
                String status = order.statusCode() == 200 ? statusOf(order.body()) : "";
                if ("CONFIRMED".equals(status)) {
                    synchronized (seen) {
                        seen.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - scheduled),
                                seen.getHighestTrackableValue()));
                    }
                    return;
                }
                if (!status.isEmpty() && !"PENDING".equals(status)) {
                    return; // rejected or cancelled: counted from its history below
                }
                try {
                    Thread.sleep(pollMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        // Orders still PENDING get 30 s more; then every order is read once.
        long settleUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pendingOrders() > 0 && System.nanoTime() < settleUntil) {
            Thread.sleep(200);
        }
        long confirmed = 0;
        long rejected = 0;
        long notConfirmed = 0;
        String lastNotConfirmed = null;
        for (Placed order : placed) {
            HttpResponse<String> read = get("/api/orders/" + order.orderId());
            String status = read.statusCode() == 200 ? statusOf(read.body()) : "";
            Instant confirmedAt = confirmedAt(read.body());
            if (confirmedAt != null) {
                confirmed++;
                byHistory.recordValue(Math.max(0, Math.min(Duration.between(order.scheduledAt(), confirmedAt).toNanos() / 1000,
                        byHistory.getHighestTrackableValue())));
            } else if ("REJECTED".equals(status) || "CANCELLED".equals(status)) {
                rejected++;
            } else {
                notConfirmed++;
                lastNotConfirmed = read.statusCode() + " " + read.body();
            }
        }
        result.put("targetRatePerSecond", Math.round(rate));
        result.put("placedPerSecond", Math.round(placed.size() / (duration.toMillis() / 1000.0) * 10) / 10.0);
        result.put("maxSendLateMs", TimeUnit.MICROSECONDS.toMillis(maxSendLateMicros.get()));
        result.put("confirmed", confirmed);
        result.put("refused", refused.get());
        result.put("rejectedOrCancelled", rejected);
        result.put("notConfirmedWithin30sAfterTheRun", notConfirmed);
        if (lastNotConfirmed != null) {
            result.put("lastNotConfirmed", lastNotConfirmed);
            System.out.println("an order not confirmed: " + lastNotConfirmed);
        }
        result.putAll(percentiles(byHistory));
        Map<String, Object> seenInReadModel = new LinkedHashMap<>();
        seenInReadModel.put("sampledOneIn", pollEvery);
        seenInReadModel.put("pollMillis", pollMillis);
        seenInReadModel.put("samples", seen.getTotalCount());
        seenInReadModel.putAll(percentiles(seen));
        result.put("seenInOrderQueryEndpoint", seenInReadModel);
        result.put("pendingOrdersAfter", pendingOrders());
        System.out.printf("fulfilment at %.0f/s: placement -> CONFIRMED by the order's history p50 %.1f ms  p99 %.1f ms; "
                        + "seen in the query endpoint (1 in %d) p50 %.1f ms  p99 %.1f ms (%d confirmed, %d refused, "
                        + "%d rejected, %d not confirmed)%n", rate,
                (double) result.get("p50Ms"), (double) result.get("p99Ms"), pollEvery,
                (double) seenInReadModel.get("p50Ms"), (double) seenInReadModel.get("p99Ms"),
                confirmed, refused.get(), rejected, notConfirmed);
        return result;
    }

    /**
     * The highest open-loop placement rate the order saga keeps up with: {@code bench.probeSeconds} (20) s of
     * placements at a rate, the saga's backlog (orders still PENDING) sampled every second; kept up when the
     * backlog over the last quarter is no larger than over the first quarter plus half a second of orders, and
     * when it drains to none within 10 s after the probe. A bisection between a rate kept up with and one not,
     * from {@code upper} (the closed-loop placement maximum) down, to within a tenth of the rate, in at most 8 probes.
     */
    private Map<String, Object> sustainedOrderRate(double upper) throws InterruptedException {
        awaitNoPendingOrders();
        return sustainedRate("order saga", upper, upper / 2, this::placeOrder, this::pendingOrders,
                this::awaitNoPendingOrders);
    }

    interface Quieting {
        Object await() throws InterruptedException;
    }

    /**
     * The highest open-loop rate at which a flow keeps up, by probes of {@code bench.probeSeconds} (20): the
     * first at {@code first}, then a bisection between the highest rate kept up with and the lowest one not
     * (at most {@code upper}, the closed-loop maximum: no open loop sustains more than the commands allow), to
     * within a tenth. A probe keeps up when 95 % of its operations succeed within the probe (plus a second), none
     * fails, the backlog (sampled every second) is no higher over the last quarter than over the first plus half a
     * second of the rate, and it drains to 0 within 10 s. After a probe that fell behind {@code quiet} waits for
     * the backlog to clear.
     */
    static Map<String, Object> sustainedRate(String what, double upper, double first,
                                              java.util.function.Supplier<Response> operation,
                                              java.util.function.LongSupplier backlog, Quieting quiet)
            throws InterruptedException {
        long probeSeconds = Long.getLong("bench.probeSeconds", 20);
        List<Map<String, Object>> probes = new ArrayList<>();
        double high = upper;
        double low = 0;
        double rate = first;
        while (probes.size() < 8) {
            List<Long> samples = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicLong inTime = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            AtomicLong unfinished = new AtomicLong();
            java.util.concurrent.ScheduledExecutorService sampler =
                    java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> samples.add(backlog.getAsLong()), 1, 1, TimeUnit.SECONDS);
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(probeSeconds);
            openLoop(rate, end, 30, scheduled -> {
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
            awaitBacklog(backlog, 10);
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

    /** The most events any read model a registration feeds has still to handle; -1 if unknown. */
    private long registrationBacklog() {
        long most = 0;
        for (String[] processor : REGISTRATION_PROCESSORS) {
            long lag = projectionLag(processor[0], processor[1]);
            if (lag < 0) {
                return -1;
            }
            most = Math.max(most, lag);
        }
        return most;
    }

    /** Waits up to {@code seconds} for a backlog to reach 0; returns the seconds waited. */
    static double awaitBacklog(java.util.function.LongSupplier backlog, long seconds) throws InterruptedException {
        long start = System.nanoTime();
        while (backlog.getAsLong() != 0 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(seconds)) {
            Thread.sleep(200);
        }
        return Math.round((System.nanoTime() - start) / 1e8) / 10.0;
    }

    /** Orders still PENDING in the read model; -1 if unknown. */
    private long pendingOrders() {
        try (Connection c = postgres(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM orders.orders WHERE status = 'PENDING'")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Waits for the order saga to work off earlier workloads' orders; returns what was pending and how long it took. */
    private Map<String, Object> awaitNoPendingOrders() throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(Long.getLong("bench.pendingTimeout", 600));
        long initially = pendingOrders();
        long pending = initially;
        while (pending > 0 && System.nanoTime() < deadline) {
            System.out.printf("waiting for %d orders still PENDING from earlier workloads%n", pending);
            Thread.sleep(2000);
            pending = pendingOrders();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("pending", initially);
        result.put("stillPending", pending);
        result.put("waitedSeconds", Math.round((System.nanoTime() - start) / 1e8) / 10.0);
        return result;
    }

    private static Instant confirmedAt(String orderJson) {
        try {
            for (JsonNode change : JSON.readTree(orderJson).path("history")) {
                if ("CONFIRMED".equals(change.path("status").asText())) {
                    return Instant.parse(change.path("at").asText());
                }
            }
        } catch (IOException | RuntimeException e) {
            // no history to go by
        }
        return null;
    }

    private static String statusOf(String orderJson) {
        try {
            return JSON.readTree(orderJson).path("status").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Events a processor has still to handle, from its tokens in its domain's schema (as stored: a processor
     * that skips events it has no handler for stores its token only every few seconds, so this can overstate).
     */
    private long projectionLag(String schema, String processor) {
        try (Connection c = postgres()) {
            return projectionLag(c, schema, processor);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** {@link #projectionLag(String, String)} of the Orderly whose event store {@code c} connects to. */
    static long projectionLag(Connection c, String schema, String processor) {
        try {
            long head = head(c);
            long position = committedPosition(c, schema, processor);
            return position < 0 ? head : Math.max(0, head - position);
        } catch (Exception e) {
            return -1;
        }
    }

    /** The global index every segment of the processor has handled and committed, or -1 without a token. */
    private long committedPosition(String schema, String processor) throws Exception {
        try (Connection c = postgres()) {
            return committedPosition(c, schema, processor);
        }
    }

    private static long committedPosition(Connection c, String schema, String processor) throws Exception {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT token FROM " + schema + ".token_entry WHERE processor_name = '"
                     + processor + "'")) {
            long position = Long.MAX_VALUE;
            while (rs.next()) {
                byte[] token = rs.getBytes(1);
                long index = token == null ? 0 : tokenPosition(token);
                position = Math.min(position, index);
            }
            return position == Long.MAX_VALUE ? -1 : position;
        }
    }

    /**
     * The global index a stored token has handled everything up to. Axon nests tokens: a segment merged from two
     * at different positions holds both (lower and upper) until they meet, a replay holds the token it resets
     * to and its current one; the lowest index in the tree is the position. (Reading only a top-level index
     * takes a merged token for position 0, a lag of the whole store.)
     */
    private static long tokenPosition(byte[] token) throws IOException {
        List<JsonNode> indexes = JSON.readTree(token).findValues("index");
        return indexes.stream().mapToLong(JsonNode::asLong).min().orElse(0);
    }

    /**
     * Milliseconds from the end of the load until every segment of the processor has handled and committed
     * every event stored by then; {@code null} if not within {@code bench.drainSeconds} (10). Events stored
     * after the load do not count: the order saga works off its backlog for minutes after the placements stop,
     * and a processor that keeps up with that stream still trails it by a batch at any instant (the orders
     * projection stays 19–300 events behind through the last half of a full run's load, never at 0).
     */
    private Long drain(String schema, String processor) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(Long.getLong("bench.drainSeconds", 10));
        long endOfLoad;
        try {
            endOfLoad = head();
        } catch (SQLException e) {
            return null;
        }
        while (System.nanoTime() < deadline) {
            try {
                if (committedPosition(schema, processor) >= endOfLoad) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                }
            } catch (Exception notReadable) {
                // the token table between two commits: look again
            }
            Thread.sleep(100);
        }
        return null;
    }

    /**
     * Bounded: the mean lag over the last third of the run is no higher than over the first third plus a
     * tolerance (half a second of the measured throughput, at least 50 events), and the processor has handled
     * every event of the load within {@code bench.drainSeconds} once it stops.
     */
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

    /**
     * Events the peer's tracking processor has still to handle. Approximate: Hibernate's sequence hands out
     * global indexes in blocks, so gaps count as lag.
     */
    private long peerProjectionLag() {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + pgPort + "/peer", "postgres",
                superuserPassword());
             Statement s = c.createStatement()) {
            long head;
            try (ResultSet rs = s.executeQuery("SELECT coalesce(max(global_index), 0) FROM domain_event_entry")) {
                rs.next();
                head = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery(
                    "SELECT token FROM token_entry WHERE processor_name = 'customer-summaries' AND token IS NOT NULL")) {
                long position = rs.next() ? tokenPosition(rs.getBytes(1)) : 0;
                return Math.max(0, head - position);
            }
        } catch (Exception e) {
            return -1;
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Rebuild: N synthetic customer events shaped like Orderly's own, the live processors' catch-up, then a
    // replay of the customers read model through the operator API.

    private static final String CUSTOMER_EVENTS = "org.orderly.api.customer.";
    private static final int CHANGE_WINDOW = 1000;
    private static final int SLOTS_PER_CHUNK = 25_000;
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern SEALED_EMAIL = Pattern.compile("\"email\":\"pd1:[^\"]*\"");
    private static final Pattern SEALED_NAME = Pattern.compile("\"name\":\"pd1:[^\"]*\"");
    /** The revision of each customer event before its personal data was sealed. */
    private static final Map<String, String> PLAINTEXT_REVISIONS = Map.of(
            CUSTOMER_EVENTS + "CustomerRegisteredEvent", "2", CUSTOMER_EVENTS + "CustomerEmailChangedEvent", "1");
    private static final Pattern AXON_TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

    /**
     * One customer stream as a user writes it, in SQL, one request (one trace id) each: seq 0 registered (with
     * its credit limit), seq 1 an email change a little later, seq 2 a credit limit change later again, seq 3 a
     * second email change. A customer's slot is its registration; each later change lands 1..1000 slots after
     * the one before, among other customers' registrations, as real traffic interleaves them. Rows are inserted in
     * slot order, so the table's own sequence (column default) hands out global indexes in that order; one
     * slot is one millisecond of time_stamp, ending about now.
     */
    private static final String SYNTHETIC_CUSTOMERS = """
            INSERT INTO event_store.domain_event_entry (aggregate_identifier, sequence_number, type, event_identifier,
                meta_data, payload, payload_revision, payload_type, time_stamp)
            SELECT e.cid, e.s, (?::text[])[e.s + 1], gen_random_uuid()::text,
                   convert_to(replace((?::text[])[e.s + 1], '%T%', substr(e.th, 1, 8) || '-' || substr(e.th, 9, 4)
                       || '-4' || substr(e.th, 14, 3) || '-a' || substr(e.th, 18, 3) || '-' || substr(e.th, 21, 12)), 'UTF8'),
                   convert_to(replace(replace((?::text[])[e.s + 1], '%C%', e.cid),
                       '%E%', 'rebuild-' || e.c || '-' || e.s || '@example.com'), 'UTF8'),
                   (?::text[])[e.s + 1], (?::text[])[e.s + 1],
                   to_char((?::timestamptz + e.slot * interval '1 millisecond') AT TIME ZONE 'UTC',
                       'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
              FROM (SELECT c, s, slot,
                           substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-a'
                               || substr(h, 18, 3) || '-' || substr(h, 21, 12) AS cid,
                           md5(? || '-t-' || c || '-' || s) AS th
                      FROM (SELECT c, s, md5(? || '-c-' || c) AS h,
                                   c + CASE s WHEN 0 THEN 0 WHEN 1 THEN d1 WHEN 2 THEN d1 + d2 ELSE d1 + d2 + d3 END
                                       AS slot
                              FROM generate_series(?::bigint, ?::bigint) c,
                                   LATERAL (SELECT 1 + (c * 2654435761) % ? AS d1, 1 + (c * 40503 + 17) % ? AS d2,
                                                   1 + (c * 7919 + 5) % ? AS d3) d,
                                   generate_series(0, 3) s) k
                     WHERE slot >= ? AND slot < ?) e
             ORDER BY e.slot, e.s, e.c
            """;

    private Map<String, Object> rebuild() throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        long customersToAdd = rebuildEvents / 4;
        try {
            String[][] templates = customerTemplates(result);
            result.put("insert", insertSyntheticCustomers(templates, customersToAdd));
            result.put("liveCatchUp", catchUp());
            result.put("replayBeforeSealing", replay("customers"));
            result.put("sealing", sealStoredEvents());
            result.put("replay", replay("customers"));
            result.put("readModel", checkCustomers());
            double rowsPerSecond;
            if (report.get("pgbench") instanceof Map<?, ?> pg && pg.get("hundredRowRowsPerSecond-1") instanceof Number n) {
                rowsPerSecond = n.doubleValue();
            } else {
                Map<String, Object> pg = pgbench(false);
                result.put("pgbench", pg);
                rowsPerSecond = pg.get("hundredRowRowsPerSecond-1") instanceof Number n ? n.doubleValue() : 0;
            }
            Map<?, ?> replay = (Map<?, ?>) result.get("replay");
            if (rowsPerSecond > 0 && replay.get("eventsPerSecond") instanceof Number eps) {
                result.put("pgbenchHundredRowRowsPerSecond", Math.round(rowsPerSecond));
                result.put("replayOverPgbenchHundredRow", Math.round(eps.doubleValue() / rowsPerSecond * 100) / 100.0);
            }
        } catch (Exception e) {
            System.out.println("REBUILD FAILED: " + e);
            result.put("failed", e.toString());
        }
        return result;
    }

    /**
     * Registers a customer, changes its email, sets its credit limit and changes its email again over HTTP,
     * then reads back the rows
     * Orderly wrote: the synthetic rows copy every column of these, with the customer id, emails and trace ids
     * swapped for placeholders. Returns type, meta_data, payload, payload_revision, payload_type per sequence number.
     */
    private String[][] customerTemplates(Map<String, Object> result) throws Exception {
        String registered = "template-" + UUID.randomUUID() + "@example.com";
        String changed = "template-" + UUID.randomUUID() + "@example.com";
        String changedAgain = "template-" + UUID.randomUUID() + "@example.com";
        // with a login: a customer changes their own email, staff set the credit limit
        Response created = post("/api/customers", "{\"email\": \"" + registered + "\", \"name\": \"Bench\", \"password\": \""
                + customerPassword + "\"}");
        if (created.status() != 201) {
            throw new IllegalStateException("template registration answered " + created.status() + ": " + created.body());
        }
        String id = created.json().get("customerId").asText();
        String customer = "Bearer " + token(registered, customerPassword);
        awaitStatus("/api/customers/" + id, 200);
        expect(put("/api/customers/" + id + "/email", "{\"email\": \"" + changed + "\"}", customer), 204);
        expect(put("/api/customers/" + id + "/credit-limit", "{\"amount\": \"1500.00\", \"currency\": \"EUR\"}",
                staffAuthorization), 204);
        expect(put("/api/customers/" + id + "/email", "{\"email\": \"" + changedAgain + "\"}", customer), 204);
        List<String[]> rows = new ArrayList<>();
        List<String> timestamps = new ArrayList<>();
        List<String> rawMeta = new ArrayList<>();
        try (Connection c = postgres(); java.sql.PreparedStatement s = c.prepareStatement("""
                SELECT sequence_number, type, meta_data, payload, payload_revision, payload_type, time_stamp
                  FROM event_store.domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number""")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String meta = UUID_TEXT.matcher(new String(rs.getBytes("meta_data"), StandardCharsets.UTF_8))
                            .replaceAll("%T%");
                    // As a store written before personal data was sealed holds them: plaintext, under the older
                    // revision; the sealing command then seals them as it would an upgraded installation's.
                    String payload = SEALED_EMAIL.matcher(SEALED_NAME.matcher(
                                    new String(rs.getBytes("payload"), StandardCharsets.UTF_8))
                                    .replaceAll("\"name\":\"Bench\"")).replaceAll("\"email\":\"%E%\"")
                            .replace(id, "%C%").replace(registered, "%E%").replace(changed, "%E%")
                            .replace(changedAgain, "%E%");
                    String type = rs.getString("payload_type");
                    String revision = PLAINTEXT_REVISIONS.getOrDefault(type, rs.getString("payload_revision"));
                    rows.add(new String[] {rs.getString("type"), meta, payload, revision, type});
                    timestamps.add(rs.getString("time_stamp"));
                    rawMeta.add(new String(rs.getBytes("meta_data"), StandardCharsets.UTF_8));
                }
            }
        }
        List<String> shape = rows.stream().map(r -> r[4]).toList();
        List<String> expected = List.of(CUSTOMER_EVENTS + "CustomerRegisteredEvent", CUSTOMER_EVENTS
                + "CustomerEmailChangedEvent", CUSTOMER_EVENTS + "CustomerCreditLimitSetEvent", CUSTOMER_EVENTS
                + "CustomerEmailChangedEvent");
        // each from a request of its own (a trace id each)
        if (!shape.equals(expected) || rawMeta.stream().distinct().count() != rawMeta.size()
                || !timestamps.stream().allMatch(t -> AXON_TIMESTAMP.matcher(t).matches())) {
            throw new IllegalStateException("Orderly's customer stream no longer looks as the synthetic rows assume: "
                    + shape + ", meta data " + rawMeta + ", time stamps " + timestamps + "; adapt SYNTHETIC_CUSTOMERS");
        }
        Map<String, Object> template = new LinkedHashMap<>();
        template.put("customerId", id);
        for (int i = 0; i < rows.size(); i++) {
            template.put("seq" + i, rows.get(i)[4].substring(CUSTOMER_EVENTS.length()) + " " + rows.get(i)[2]
                    + " meta " + rows.get(i)[1]);
        }
        result.put("template", template);
        String[][] columns = new String[5][4];
        for (int i = 0; i < 4; i++) {
            for (int column = 0; column < 5; column++) {
                columns[column][i] = rows.get(i)[column];
            }
        }
        return columns;
    }

    private static void expect(Response response, int status) {
        if (response.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + response.status() + ": " + response.body());
        }
    }

    private Map<String, Object> insertSyntheticCustomers(String[][] columns, long customersToAdd) throws Exception {
        long slots = customersToAdd + 3L * CHANGE_WINDOW;
        String salt = UUID.randomUUID().toString();
        String base = Instant.now().minusMillis(slots).truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
        long inserted = 0;
        headBeforeInsert = head();
        long start = System.nanoTime();
        System.out.printf("rebuild: inserting %,d customer events (%,d customers) into event_store.domain_event_entry%n",
                customersToAdd * 4, customersToAdd);
        try (Connection c = postgres(); java.sql.PreparedStatement s = c.prepareStatement(SYNTHETIC_CUSTOMERS)) {
            for (int i = 0; i < 5; i++) {
                s.setArray(i + 1, c.createArrayOf("text", columns[i]));
            }
            s.setString(6, base);
            s.setString(7, salt);
            s.setString(8, salt);
            s.setLong(11, CHANGE_WINDOW);
            s.setLong(12, CHANGE_WINDOW);
            s.setLong(13, CHANGE_WINDOW);
            for (long from = 0; from < slots; from += SLOTS_PER_CHUNK) {
                long to = Math.min(slots, from + SLOTS_PER_CHUNK);
                long firstCustomer = Math.max(0, from - 3L * CHANGE_WINDOW);
                long lastCustomer = Math.min(customersToAdd - 1, to - 1);
                if (firstCustomer > lastCustomer) {
                    continue;
                }
                s.setLong(9, firstCustomer);
                s.setLong(10, lastCustomer);
                s.setLong(14, from);
                s.setLong(15, to);
                inserted += s.executeUpdate();
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("rebuild: inserted %,d / %,d events, %.1f s, %,.0f rows/s%n", inserted,
                        customersToAdd * 4, seconds, inserted / seconds);
            }
        }
        insertedAt = System.nanoTime();
        insertStartedAt = start;
        double seconds = (insertedAt - start) / 1e9;
        if (inserted != customersToAdd * 4) {
            throw new IllegalStateException("inserted " + inserted + " events, expected " + customersToAdd * 4);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("events", inserted);
        result.put("customers", customersToAdd);
        result.put("seconds", Math.round(seconds * 10) / 10.0);
        result.put("rowsPerSecond", Math.round(inserted / seconds));
        result.put("headAfterInsert", head());
        return result;
    }

    private long insertStartedAt;
    private long insertedAt;
    private long headBeforeInsert;

    private long head() throws SQLException {
        try (Connection c = postgres()) {
            return head(c);
        }
    }

    /** The global index of the newest event in the store {@code c} connects to; 0 when empty. */
    static long head(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(max(global_index), 0) FROM event_store.domain_event_entry")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Orderly's live processors handle the new events by themselves: polls the operator API every second until
     * every processor has reached the head and the notification outbox has no pending welcome left (so that the
     * replay runs alone), or {@code bench.catchUpTimeout} seconds (1800). Events/s per processor: the events
     * inserted over the time from the start of the insert (processors start on the first chunk as soon as it
     * commits) to the poll that saw it at the head, so at best the insert's own rate.
     */
    private Map<String, Object> catchUp() throws Exception {
        long head = head();
        long timeout = TimeUnit.SECONDS.toNanos(Long.getLong("bench.catchUpTimeout", 1800));
        Map<String, Long> caughtUpAt = new LinkedHashMap<>();
        Map<String, Long> startPositions = new LinkedHashMap<>();
        long pending = -1;
        long lastPrint = 0;
        while (true) {
            JsonNode processors = opsJson("/api/ops/processors");
            long now = System.nanoTime();
            List<String> lagging = new ArrayList<>();
            if (processors != null) {
                for (JsonNode processor : processors.path("items")) {
                    String name = processor.path("name").asText();
                    long position = Long.MAX_VALUE;
                    for (JsonNode segment : processor.path("segments")) {
                        position = Math.min(position, segment.path("position").asLong());
                    }
                    startPositions.putIfAbsent(name, position);
                    if (position >= head) {
                        caughtUpAt.putIfAbsent(name, now);
                    } else {
                        lagging.add(name + " " + (head - position));
                    }
                }
            }
            pending = pendingNotifications();
            boolean done = processors != null && lagging.isEmpty() && pending == 0;
            if (done || now - lastPrint > TimeUnit.MILLISECONDS.toNanos(990)) {
                lastPrint = now;
                System.out.printf("catch-up %5.1f s after the insert: lagging %s; notifications pending %d%n",
                        (now - insertedAt) / 1e9, lagging.isEmpty() ? "none" : String.join(", ", lagging), pending);
            }
            if (done || now - insertedAt > timeout) {
                break;
            }
            Thread.sleep(1000);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Object> perProcessor = new LinkedHashMap<>();
        for (Map.Entry<String, Long> start : startPositions.entrySet()) {
            Long at = caughtUpAt.get(start.getKey());
            Map<String, Object> figures = new LinkedHashMap<>();
            // every processor was at (or within a few events of) the head before the insert: the template customer
            long events = head - headBeforeInsert;
            double fromInsert = at == null ? Double.NaN : (at - insertStartedAt) / 1e9;
            figures.put("secondsAfterInsertEnded", at == null ? null : Math.round((at - insertedAt) / 1e8) / 10.0);
            figures.put("eventsPerSecondFromInsertStart", at == null ? null : Math.round(events / fromInsert));
            perProcessor.put(start.getKey(), figures);
        }
        result.put("head", head);
        result.put("processors", perProcessor);
        result.put("notificationsPendingAtEnd", pending);
        result.put("complete", caughtUpAt.keySet().containsAll(startPositions.keySet()) && pending == 0);
        return result;
    }

    private long pendingNotifications() {
        try (Connection c = postgres(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM notification.notifications WHERE status = 'PENDING'")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    /**
     * Starts the replay through the operator API and follows it, printing its progress every second. The
     * replay counts as complete when the read model is what the event store says it must be (one row per
     * customer, each at its stream's last sequence number), checked every second in SQL: the operator
     * API's own outcome is recorded beside it but not relied on, since it can report COMPLETED right after
     * the reset, before the processor has handled anything (seen in trial runs).
     */
    private Map<String, Object> replay(String processor) throws Exception {
        long[] expected = customerReadModel("""
                SELECT count(*), coalesce(sum(last), 0) FROM (SELECT max(sequence_number) AS last
                  FROM event_store.domain_event_entry WHERE payload_type LIKE 'org.orderly.api.customer.%'
                 GROUP BY aggregate_identifier) streams""");
        long start = System.nanoTime();
        Response started = opsPost("/api/ops/processors/" + processor + "/replay");
        if (started.status() != 202) {
            throw new IllegalStateException("replay answered " + started.status() + ": " + started.body());
        }
        String id = started.json().get("replayId").asText();
        long target = started.json().get("targetPosition").asLong();
        System.out.printf("replay %s of %s started, up to global index %,d; complete at %,d rows with versions summing "
                + "to %,d%n", id, processor, target, expected[0], expected[1]);
        long timeout = TimeUnit.SECONDS.toNanos(Long.getLong("bench.replayTimeout", 1800));
        long lastPrint = start;
        long lastDone = 0;
        Long apiEndedAfter = null;
        String apiOutcome = "RUNNING";
        JsonNode replay = null;
        boolean complete;
        List<Map<String, Object>> progress = new ArrayList<>();
        // The store holds the synthetic million plus what the earlier workloads registered: the first million is
        // timed on its own, from the check that first saw it in the read model (so at most a second late).
        Double firstMillionAfter = null;
        long nextApiPoll = start;
        long all = expected[0] + expected[1];
        while (true) {
            // Every second, every 100 ms near the end: each check scans the read model, and each operator call
            // validates a token, both on the cores the replay runs on.
            Thread.sleep(lastDone > all * 0.97 ? 100 : 1000);
            long[] now = customerReadModel("SELECT count(*), coalesce(sum(version), 0) FROM customer.customers");
            long at = System.nanoTime();
            complete = now[0] == expected[0] && now[1] == expected[1];
            JsonNode status = null;
            if (complete || at >= nextApiPoll) {
                status = opsJson("/api/ops/replays/" + id);
                nextApiPoll = at + TimeUnit.SECONDS.toNanos(2);
            }
            if (status != null) {
                replay = status;
                if (apiEndedAfter == null && !"RUNNING".equals(status.path("outcome").asText())) {
                    apiEndedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    apiOutcome = status.path("outcome").asText();
                }
            }
            // events the read model reflects: one per row plus its version (a stream of n events ends at version n-1)
            long done = now[0] + now[1];
            if (firstMillionAfter == null && done >= 1_000_000) {
                firstMillionAfter = (at - start) / 1e9;
            }
            if (complete || at - lastPrint >= TimeUnit.MILLISECONDS.toNanos(990)) {
                double seconds = (at - start) / 1e9;
                double rate = (done - lastDone) / ((at - lastPrint) / 1e9);
                double percent = all == 0 ? 100 : 100.0 * done / all;
                long eta = rate > 0 ? Math.round((all - done) / rate) : -1;
                System.out.printf("replay %5.1f s: read model %5.1f %% (%,d / %,d customer events), %,8.0f customer events/s, "
                                + "ETA %s s; operator API: %s %s %%%n", seconds, percent, done, all, rate,
                        eta < 0 ? "?" : Long.toString(eta), replay == null ? "?" : replay.path("outcome").asText(),
                        replay == null ? "?" : replay.path("percent").asText());
                progress.add(Map.of("seconds", Math.round(seconds * 10) / 10.0, "readModelPercent",
                        Math.round(percent * 10) / 10.0, "apiPercent", replay == null ? -1 : replay.path("percent").asDouble()));
                lastPrint = at;
                lastDone = done;
            }
            if (complete || at - start > timeout) {
                break;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("replayId", id);
        result.put("complete", complete);
        result.put("eventsReplayed", target);
        result.put("customerEvents", expected[0] + expected[1]);
        result.put("secondsToCompletion", Math.round(seconds * 10) / 10.0);
        result.put("secondsToFirstMillionCustomerEvents", firstMillionAfter == null ? null
                : Math.round(firstMillionAfter * 10) / 10.0);
        result.put("eventsPerSecond", complete ? Math.round(target / seconds) : null);
        result.put("operatorApiOutcome", apiOutcome);
        result.put("operatorApiEndedAfterMs", apiEndedAfter);
        result.put("progress", progress);
        System.out.printf("replay of %s: %s, %,d events in %.1f s, %s events/s (operator API said %s after %s ms)%n",
                processor, complete ? "complete" : "NOT complete", target, seconds, result.get("eventsPerSecond"),
                apiOutcome, apiEndedAfter);
        return result;
    }

    private long[] customerReadModel(String sql) throws SQLException {
        try (Connection c = postgres(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    /**
     * Stops Orderly, runs its one-time sealing command on the store (every synthetic customer gets a key, and each
     * stored plaintext email and name is sealed under it), and starts Orderly again: the replay that follows reads a
     * sealed store, as every installation's is once upgraded, and the one before it read the same events in
     * plaintext.
     */
    private Map<String, Object> sealStoredEvents() throws Exception {
        app.destroy();
        if (!app.waitFor(120, TimeUnit.SECONDS)) {
            app.destroyForcibly().waitFor();
        }
        List<String> command = new ArrayList<>(appCommand);
        command.add("--orderly.privacy.seal-stored-events=true");
        System.out.println("rebuild: sealing the stored events with Orderly's one-time command");
        long start = System.nanoTime();
        Process sealing = withAccounts(new ProcessBuilder(command)).redirectErrorStream(true)
                .redirectOutput(out.resolve("app-sealing.log").toFile()).start();
        int exit = sealing.waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("exitCode", exit);
        result.put("seconds", Math.round(seconds * 10) / 10.0);
        System.out.printf("rebuild: sealing command exited %d after %.1f s (log: app-sealing.log)%n", exit, seconds);
        app = withAccounts(new ProcessBuilder(appCommand)).redirectErrorStream(true)
                .redirectOutput(out.resolve("app-after-sealing.log").toFile()).start();
        awaitReady(app, httpPort, "app-after-sealing.log");
        login();
        if (exit != 0) {
            throw new IllegalStateException("the sealing command exited " + exit + "; see app-sealing.log");
        }
        return result;
    }

    /**
     * The rebuilt read model against the event store: one row per registered customer, and the newest
     * synthetic customer read over HTTP as its stream says (email of its last change, credit limit, version).
     */
    private Map<String, Object> checkCustomers() throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        String last;
        try (Connection c = postgres(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM event_store.domain_event_entry WHERE payload_type = '"
                    + CUSTOMER_EVENTS + "CustomerRegisteredEvent'")) {
                rs.next();
                result.put("expectedRows", rs.getLong(1));
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM customer.customers")) {
                rs.next();
                result.put("rows", rs.getLong(1));
            }
            try (ResultSet rs = s.executeQuery("SELECT aggregate_identifier FROM event_store.domain_event_entry "
                    + "WHERE payload_type = '" + CUSTOMER_EVENTS + "CustomerRegisteredEvent' ORDER BY global_index DESC LIMIT 1")) {
                rs.next();
                last = rs.getString(1);
            }
        }
        HttpResponse<String> found = get("/api/customers/" + last);
        JsonNode view = found.statusCode() == 200 ? JSON.readTree(found.body()) : null;
        boolean sampleOk = view != null && view.path("email").asText().endsWith("-3@example.com")
                && view.path("version").asLong() == 3
                && new java.math.BigDecimal(view.path("creditLimit").path("amount").asText("0")).compareTo(new java.math.BigDecimal("1500")) == 0;
        result.put("sampleCustomer", view == null ? null : view.toString());
        result.put("sampleAsItsStreamSays", sampleOk);
        result.put("expectedRowCount", result.get("rows").equals(result.get("expectedRows")));
        System.out.println("customers read model after the replay: " + result);
        return result;
    }

    /** PostgreSQL's ceiling on the same server: single-row inserts of an event-sized row, and 100-row inserts. */
    private Map<String, Object> pgbench(boolean singleRow) throws Exception {
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
        for (int clients : singleRow ? clientCounts : new int[0]) {
            result.put("singleRowTps-" + clients, runPgbench(pgbench, single, clients));
        }
        double tps = runPgbench(pgbench, hundred, 1);
        result.put("hundredRowTps-1", tps);
        result.put("hundredRowRowsPerSecond-1", Math.round(tps * 100));
        System.out.println("pgbench: " + result);
        return result;
    }

    private double runPgbench(Path pgbench, Path script, int clients) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(pgbench.toString(), "-n", "-h", "localhost", "-p", Integer.toString(pgPort),
                "-U", "postgres", "-c", Integer.toString(clients), "-j", Integer.toString(Math.min(clients, 2)),
                "-T", Long.toString(duration.toSeconds()), "-f", script.toString(), "postgres");
        builder.environment().put("PGPASSWORD", superuserPassword());
        Process process = builder.redirectErrorStream(true).start();
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

    /** Every target of the issue with this run's figure: met, not met, or not measured (met {@code null}). */
    private List<Map<String, Object>> targets() {
        List<Map<String, Object>> targets = new ArrayList<>();
        Map<?, ?> commands = report.get("commandsOverHttp") instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> peer = report.get("peer") instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> peerRuns = peer.get("commandsOverHttp") instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> pg = report.get("pgbench") instanceof Map<?, ?> m ? m : Map.of();
        List<Integer> loaded = java.util.Arrays.stream(clientCounts).filter(c -> c >= 16 && c <= 64).boxed().toList();

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
                pgFigures.add(clients + " clients " + round2(ours / tps.doubleValue()) + "x (" + ours + " vs " + tps + " TPS)");
                pgMet = pgMet != null && pgMet && ours >= 0.4 * tps.doubleValue();
            }
        }
        target(targets, "commands over HTTP, 16-64 clients: registration throughput >= 2x the peer's",
                String.join("; ", peerFigures), peerFigures.size() == loaded.size() ? peerMet : null);
        Map<?, ?> oursSustained = report.get("registrationsSustained") instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> theirsSustained = peer.get("registrationsSustained") instanceof Map<?, ?> m ? m : Map.of();
        Double sustainedOurs = number(oursSustained, "maxSustainedPerSecond");
        Double sustainedTheirs = number(theirsSustained, "maxSustainedPerSecond");
        target(targets, "commands over HTTP: sustained registrations (every read model keeping up) >= 2x the peer's",
                sustainedOurs == null || sustainedTheirs == null ? "" : (sustainedTheirs == 0 ? "peer sustained none"
                        : round2(sustainedOurs / sustainedTheirs) + "x") + " (" + sustainedOurs + " vs " + sustainedTheirs + "/s)",
                sustainedOurs == null || sustainedTheirs == null ? null : sustainedOurs >= 2 * sustainedTheirs);
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

    private static void target(List<Map<String, Object>> targets, String target, String measured, Boolean met) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("target", target);
        row.put("measured", measured == null || measured.isEmpty() ? "not measured" : measured);
        row.put("met", met);
        targets.add(row);
    }

    private static Double number(Object map, String key) {
        return map instanceof Map<?, ?> m && m.get(key) instanceof Number n ? n.doubleValue() : null;
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private void write() throws IOException {
        Files.createDirectories(out);
        String stamp = Instant.now().toString().replace(":", "-");
        Files.writeString(out.resolve("report-" + stamp + ".json"), JSON.writeValueAsString(report));
        StringBuilder md = new StringBuilder("# Orderly benchmark, " + report.get("startedAt") + "\n\n");
        md.append("Machine: `").append(report.get("machine")).append("`  \nPostgreSQL: `").append(report.get("postgres"))
                .append("`  \nSettings: `").append(report.get("settings")).append("`\n\n");
        if (report.get("cluster") instanceof Map<?, ?> cluster) {
            md.append(ClusterWorkload.markdown(cluster)).append("\n");
        }
        if (!report.containsKey("bootToReadyMs")) {
            // the cluster workload alone: none of the all-in-one application's figures follow
            Files.writeString(out.resolve("report-" + stamp + ".md"), md.toString());
            System.out.println("Report written to " + out.resolve("report-" + stamp + ".md"));
            return;
        }
        md.append("Boot to ready: ").append(report.get("bootToReadyMs")).append(" ms  \nBoot: `").append(report.get("boot"))
                .append("`  \n");
        md.append("Resident memory after load: ").append(report.get("residentMemoryMb")).append(" MB\n\n");
        md.append("| workload | clients | ok/s | p50 ms | p99 ms | p99.9 ms | max ms | failed | CPU ms/op: app + PostgreSQL + harness "
                + "(machine busy) |\n|---|---|---|---|---|---|---|---|---|\n");
        if (report.get("commandsOverHttp") instanceof Map<?, ?> runs) {
            for (Object value : runs.values()) {
                Map<?, ?> run = (Map<?, ?>) value;
                md.append("| ").append(run.get("workload")).append(" | ").append(run.get("clients")).append(" | ")
                        .append(run.get("throughputPerSecond")).append(" | ").append(run.get("p50Ms")).append(" | ")
                        .append(run.get("p99Ms")).append(" | ").append(run.get("p999Ms")).append(" | ")
                        .append(run.get("maxMs")).append(" | ").append(run.get("failed")).append(" | ")
                        .append(cpuCell(run)).append(" |\n");
            }
        }
        if (report.get("peer") instanceof Map<?, ?> peerReport) {
            md.append("\n## Peer (Axon's defaults, module bench-peer), same run\n\n");
            if (peerReport.get("commandsOverHttp") instanceof Map<?, ?> runs) {
                md.append("Boot to ready: ").append(peerReport.get("bootToReadyMs")).append(" ms  \nResident memory after load: ")
                        .append(peerReport.get("residentMemoryMb")).append(" MB\n\n");
                md.append("| clients | peer ok/s | peer p50 ms | peer p99 ms | peer p99.9 ms | peer max ms | failed "
                        + "| Orderly/peer throughput | Orderly/peer p99 | peer CPU ms/op: app + PostgreSQL + harness (machine busy) "
                        + "|\n|---|---|---|---|---|---|---|---|---|---|\n");
                Map<?, ?> ratios = (Map<?, ?>) peerReport.get("orderlyOverPeer");
                for (Object value : runs.values()) {
                    Map<?, ?> run = (Map<?, ?>) value;
                    Map<?, ?> ratio = (Map<?, ?>) ratios.get(String.valueOf(run.get("clients")));
                    md.append("| ").append(run.get("clients")).append(" | ").append(run.get("throughputPerSecond"))
                            .append(" | ").append(run.get("p50Ms")).append(" | ").append(run.get("p99Ms")).append(" | ")
                            .append(run.get("p999Ms")).append(" | ").append(run.get("maxMs")).append(" | ")
                            .append(run.get("failed")).append(" | ").append(ratio == null ? null : ratio.get("throughput"))
                            .append(" | ").append(ratio == null ? null : ratio.get("p99")).append(" | ")
                            .append(cpuCell(run)).append(" |\n");
                }
            }
            if (peerReport.get("registrationsSustained") instanceof Map<?, ?> theirs) {
                md.append("\nSustained registrations (open-loop probes; every read model the registration feeds keeps up): "
                        + "Orderly ").append(report.get("registrationsSustained") instanceof Map<?, ?> ours
                        ? ours.get("maxSustainedPerSecond") : null).append("/s, peer ").append(theirs.get("maxSustainedPerSecond"))
                        .append("/s, Orderly/peer ").append(peerReport.get("orderlyOverPeerSustained")).append("x\n\n");
            }
            if (peerReport.containsKey("failed") || peerReport.containsKey("skipped")) {
                md.append("Peer not measured: `").append(peerReport.containsKey("failed") ? peerReport.get("failed")
                        : peerReport.get("skipped")).append("`\n");
            }
        }
        if (report.get("tokenValidation") instanceof Map<?, ?> token) {
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
        md.append("\nFreshness at half the maximum sustained registration rate: `").append(report.get("freshnessAtHalfLoad"))
                .append("`\n\nPlacement to CONFIRMED at half the maximum order rate: `")
                .append(report.get("fulfilmentAtHalfLoad")).append("`\n\npgbench on the same server: `")
                .append(report.get("pgbench")).append("`\n");
        if (report.get("commandsOverHttp") instanceof Map<?, ?> runs) {
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
        if (report.get("rebuild") instanceof Map<?, ?> rebuild) {
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
        if (report.get("targets") instanceof List<?> targets) {
            md.append("\n## Targets\n\n| target | measured | met |\n|---|---|---|\n");
            for (Object value : targets) {
                Map<?, ?> row = (Map<?, ?>) value;
                Object met = row.get("met");
                md.append("| ").append(row.get("target")).append(" | ").append(row.get("measured")).append(" | ")
                        .append(met == null ? "not measured" : (Boolean) met ? "met" : "**not met**").append(" |\n");
            }
        }
        Files.writeString(out.resolve("report-" + stamp + ".md"), md.toString());
        System.out.println("Report written to " + out.resolve("report-" + stamp + ".md"));
    }

    private static String cpuCell(Map<?, ?> run) {
        if (!(run.get("cpuPerOperation") instanceof Map<?, ?> cpu) || cpu.isEmpty()) {
            return "";
        }
        return cpu.get("appMs") + " + " + cpu.get("postgresMs") + " + " + cpu.get("harnessMs") + " ("
                + cpu.get("machineBusyPercent") + " %)";
    }

    static Map<String, Object> percentiles(Histogram histogram) {
        Function<Double, Double> ms = p -> Math.round(histogram.getValueAtPercentile(p) / 100.0) / 10.0;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("p50Ms", ms.apply(50.0));
        result.put("p99Ms", ms.apply(99.0));
        result.put("p999Ms", ms.apply(99.9));
        result.put("maxMs", Math.round(histogram.getMaxValue() / 100.0) / 10.0);
        return result;
    }

    private Connection postgres() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + pgPort + "/postgres", "postgres",
                superuserPassword());
    }

    /**
     * The embedded PostgreSQL's superuser password: it asks every role for one, and Orderly keeps them in an
     * owner-only file beside the data directory.
     */
    private String superuserPassword() {
        java.util.Properties passwords = new java.util.Properties();
        try (var in = Files.newBufferedReader(workDirectory.resolve("pgdata-credentials.properties"))) {
            passwords.load(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return passwords.getProperty("postgres");
    }

    /** A GET from Orderly as staff, who read every customer and order. */
    private HttpResponse<String> get(String path, String... headers) {
        List<String> all = new ArrayList<>(List.of(headers));
        all.addAll(List.of("Authorization", staffAuthorization));
        return get(httpPort, path, all.toArray(String[]::new));
    }

    private HttpResponse<String> get(int port, String path, String... headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
            if (headers.length > 0) {
                request.headers(headers);
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A POST to Orderly as staff. */
    private Response post(String path, String body) {
        return post(httpPort, path, body, staffAuthorization);
    }

    /** A POST without credentials (the peer has no security). */
    private Response post(int port, String path, String body) {
        return post(port, path, body, null);
    }

    private Response post(int port, String path, String body, String authorization) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(),
                    response.headers().firstValue("Orderly-Position").orElse(null));
        } catch (IOException e) {
            return new Response(-1, e.toString(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(-1, "interrupted", null);
        }
    }

    private Response put(String path, String body, String authorization) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path))
                .header("Content-Type", "application/json").header("Authorization", authorization)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private String operatorAuthorization() {
        return operatorAuthorization;
    }

    /** An operator endpoint's JSON answer, or {@code null} when it did not answer 2xx. */
    private JsonNode opsJson(String path) {
        Response response = send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path))
                .header("Authorization", operatorAuthorization()).GET().build());
        return response.status() / 100 == 2 ? response.json() : null;
    }

    private Response opsPost(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path))
                .header("Authorization", operatorAuthorization()).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private Response send(HttpRequest request) {
        return send(http, request);
    }

    /** An HTTP exchange as a {@link Response}; status -1 when it failed (the body says why). */
    static Response send(HttpClient http, HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(),
                    response.headers().firstValue("Orderly-Position").orElse(null));
        } catch (IOException e) {
            return new Response(-1, e.toString(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(-1, "interrupted", null);
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
                + " cores (" + cpuModel() + "), Java " + System.getProperty("java.version") + ", "
                + ManagementFactory.getOperatingSystemMXBean().getName();
    }

    /** The processor's name as Linux reports it: the same kind of machine has come with different processors. */
    private static String cpuModel() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("model name")).findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse("processor unknown");
        } catch (IOException | java.io.UncheckedIOException e) {
            return "processor unknown";
        }
    }

    private static int[] parseInts(String csv) {
        return java.util.Arrays.stream(csv.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
    }

    static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** @param position the answer's {@code Orderly-Position}, where a command stored events */
    record Response(int status, String body, String position) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("Not JSON (" + status + "): " + body, e);
            }
        }
    }
}
