package org.orderly.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Orderly, the all-in-one application, as its own process on a fresh embedded PostgreSQL of its own (fsync and
 * synchronous_commit on), in a work directory that holds the database, the extracted jar and the class-data
 * archive. The staff and operator passwords are set when Orderly first starts, from the environment.
 */
final class OrderlyProcess {

    private final Settings settings;
    private final Http http;
    private final int httpPort = Processes.freePort();
    private final int pgPort = Processes.freePort();
    /**
     * Passwords of Orderly's {@code staff} and {@code operator} accounts. The harness logs in as staff for
     * registrations, reads, products and stock, and as operator for the operator API and Prometheus.
     */
    private final String staffPassword = UUID.randomUUID().toString();
    private final String operatorPassword = UUID.randomUUID().toString();
    private Path workDirectory;
    /** How Orderly was started, to start it again (after sealing the store) the same way. */
    private List<String> command;
    private Process process;

    OrderlyProcess(Settings settings, Http http) {
        this.settings = settings;
        this.http = http;
    }

    /**
     * Starts Orderly the way {@code app/start-fast.sh} does: the jar extracted (Spring Boot's
     * {@code -Djarmode=tools extract}) and a class-data-sharing archive from a training run, with the JVM options of
     * {@code bench.appHeap}. The training run (a start to ready and a stop, on a throwaway data directory) is
     * preparation, not measured, like a warm-up. For comparison the fat jar alone is booted once first, on a fresh
     * data directory of its own, and its time reported beside it. Every boot includes the embedded PostgreSQL's
     * initdb and start. Returns the report's {@code boot} figures.
     */
    Map<String, Object> bootToReady() throws Exception {
        Path work = Files.createTempDirectory("orderly-bench-");
        workDirectory = work;
        List<String> heap = settings.jvmOptions();
        List<String> jvmArgs = new ArrayList<>(heap);
        jvmArgs.addAll(settings.appJvmArgs());
        Map<String, Object> boot = new LinkedHashMap<>();
        Path appJar = settings.appJar();

        long plain = bootAndStop(heap, List.of("-jar", appJar.toString()), work.resolve("plain"), "app-plain.log");
        boot.put("fatJarMs", plain);

        Path layout = work.resolve("extracted");
        long extractStart = System.nanoTime();
        Processes.run(List.of("java", "-Djarmode=tools", "-jar", appJar.toString(), "extract", "--destination",
                layout.toString()));
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
        command.addAll(arguments(work.resolve("pgdata"), pgPort));
        this.command = List.copyOf(command);
        boot.put("command", String.join(" ", command));
        long start = System.nanoTime();
        process = start(this.command, "app.log");
        awaitReady(process, "app.log");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        boot.put("extractedWithClassDataSharingMs", ms);
        System.out.printf("boot to ready: %d ms (fat jar alone: %d ms)%n", ms, plain);
        return boot;
    }

    /** Boots Orderly on a fresh data directory until it answers, then stops it; returns the time to ready. */
    private long bootAndStop(List<String> jvmArgs, List<String> launch, Path data, String log) throws Exception {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(jvmArgs);
        command.addAll(launch);
        command.addAll(arguments(data.resolve("pgdata"), Processes.freePort()));
        long start = System.nanoTime();
        Process process = start(command, log);
        try {
            awaitReady(process, log);
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        } finally {
            process.destroy(); // a graceful stop: the class-data archive is written at exit
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private List<String> arguments(Path data, int port) {
        return List.of("--server.port=" + httpPort, "--orderly.database.embedded.data-directory=" + data,
                "--orderly.database.embedded.port=" + port, "--logging.level.root=WARN",
                // Statement figures for every run (Statements); loaded for the peer too, which shares the server.
                "--orderly.database.embedded.server-settings.shared_preload_libraries=pg_stat_statements",
                // The rate limiter runs as in production, but with room for every request: all the load comes from one
                // address and a few users, and public reads alone exceed its default 2,000/s per caller.
                "--orderly.web.rate-limit.anonymous-per-second=1000000",
                "--orderly.web.rate-limit.anonymous-burst=1000000",
                "--orderly.web.rate-limit.authenticated-per-second=1000000",
                "--orderly.web.rate-limit.authenticated-burst=1000000",
                "--orderly.security.embedded.access-token-ttl=" + settings.tokenTtl());
    }

    /**
     * Starts Orderly's JVM with its output in {@code log}; the staff and operator passwords from the environment,
     * not the command line, which any local user can list.
     */
    private Process start(List<String> command, String log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(settings.out().resolve(log).toFile());
        builder.environment().put("ORDERLY_SECURITY_EMBEDDED_STAFF_PASSWORD", staffPassword);
        builder.environment().put("ORDERLY_SECURITY_EMBEDDED_OPERATOR_PASSWORD", operatorPassword);
        return builder.start();
    }

    private void awaitReady(Process process, String log) throws InterruptedException {
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Orderly exited during start; see " + settings.out().resolve(log));
            }
            try {
                // public: the query side answers
                if (http.get(httpPort, "/api/products?limit=1").statusCode() == 200) {
                    return;
                }
            } catch (UncheckedIOException notYet) {
                // still starting
            }
            Thread.sleep(20);
        }
    }

    /**
     * Runs Orderly once with {@code argument} added (a one-time command that exits when done, its output in
     * {@code log}) and returns its exit code; Orderly itself is to be stopped first.
     */
    int runOnce(String argument, String log) throws Exception {
        List<String> once = new ArrayList<>(command);
        once.add(argument);
        return start(once, log).waitFor();
    }

    /** Starts Orderly again as it was first started, its output in {@code log}, and waits until it answers. */
    void restart(String log) throws Exception {
        process = start(command, log);
        awaitReady(process, log);
    }

    /** Stops Orderly: a graceful stop, forced after {@code seconds}. */
    void stop(long seconds) throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    Process process() {
        return process;
    }

    /**
     * The embedded PostgreSQL's postmaster, from its {@code postmaster.pid}; read each time, since Orderly starts the
     * server again if it ends. {@code null} while there is none.
     */
    ProcessHandle postmaster() {
        try {
            String pid = Files.readAllLines(workDirectory.resolve("pgdata").resolve("postmaster.pid")).get(0).trim();
            return ProcessHandle.of(Long.parseLong(pid)).orElse(null);
        } catch (IOException | RuntimeException none) {
            return null;
        }
    }

    int httpPort() {
        return httpPort;
    }

    int pgPort() {
        return pgPort;
    }

    String staffPassword() {
        return staffPassword;
    }

    String operatorPassword() {
        return operatorPassword;
    }

    /** A connection to Orderly's PostgreSQL server, as its superuser, to database {@code database}. */
    Connection postgres(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + pgPort + "/" + database, "postgres",
                superuserPassword());
    }

    Connection postgres() throws SQLException {
        return postgres("postgres");
    }

    /**
     * The embedded PostgreSQL's superuser password: it asks every role for one, and Orderly keeps them in an
     * owner-only file beside the data directory.
     */
    String superuserPassword() {
        Properties passwords = new Properties();
        try (var in = Files.newBufferedReader(workDirectory.resolve("pgdata-credentials.properties"))) {
            passwords.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return passwords.getProperty("postgres");
    }

    /** The durability settings of the server, for the report. */
    Map<String, String> postgresSettings() throws SQLException {
        try (Connection c = postgres(); Statement s = c.createStatement()) {
            Map<String, String> settings = new LinkedHashMap<>();
            for (String name : List.of("server_version", "fsync", "synchronous_commit", "full_page_writes")) {
                try (ResultSet rs = s.executeQuery("SHOW " + name)) {
                    rs.next();
                    settings.put(name, rs.getString(1));
                }
            }
            return settings;
        }
    }

    /** The database, extracted jar and archive of this run: gigabytes after a rebuild. {@code bench.keep} keeps them. */
    void deleteWorkDirectory() {
        if (workDirectory != null && !settings.keep()) {
            Processes.deleteTree(workDirectory);
        }
    }
}
