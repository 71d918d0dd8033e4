package org.orderly.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One node of a split Orderly cluster, as an operator runs it: the command-side or query-side deployable's jar in a
 * JVM of its own, configured through the environment only (the variables {@code docker-compose.yml} gives its
 * nodes, {@link #environment}), on an external PostgreSQL and an external identity provider. The cluster
 * integration test and the benchmark's cluster workload both start their nodes so.
 */
public final class ClusterNodeProcess implements AutoCloseable {

    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern ROLE_PASSWORD = Pattern.compile("ALTER ROLE orderly_(\\w+) WITH .*PASSWORD '([^']*)'");

    private final String id;
    private final int port;
    private final Process jvm;
    private final Path log;

    private ClusterNodeProcess(String id, int port, Process jvm, Path log) {
        this.id = id;
        this.port = port;
        this.jvm = jvm;
        this.log = log;
    }

    /**
     * The variables every node of {@code docker-compose.yml} gets, here for a database on localhost prepared by
     * {@code adminScript} (the administrator script of the README, whose role passwords the nodes get). The
     * compose file is checked against this map, so that what the tests and the benchmark run is what it deploys.
     */
    public static Map<String, String> environment(int postgresPort, String issuer, Path adminScript) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("ORDERLY_DATABASE_URL", "jdbc:postgresql://localhost:" + postgresPort + "/postgres");
        environment.put("ORDERLY_DATABASE_USERNAME", "orderly");
        environment.put("ORDERLY_DATABASE_PASSWORD", "orderly-dev");
        environment.put("ORDERLY_DATABASE_OWNER_PASSWORD", "orderly-owner-dev");
        environment.put("ORDERLY_SECURITY_ISSUER_URI", issuer);
        environment.put("ORDERLY_PROCESSORS_INITIAL_SEGMENTS", "2");
        // one master key for every node: a node must open what another sealed
        environment.put("ORDERLY_PRIVACY_MASTERKEYS_DEV", "xDaDVqjVbWa2xcqyDzFEySAzSrzkrk+J0ZuSqPbvlEc=");
        Matcher role;
        try {
            role = ROLE_PASSWORD.matcher(Files.readString(adminScript));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        while (role.find()) {
            if (!role.group(1).equals("owner")) { // the main schemas' owner, not a domain: ORDERLY_DATABASE_OWNER_PASSWORD
                environment.put("ORDERLY_DOMAINS_" + role.group(1).toUpperCase() + "_PASSWORD", role.group(2));
            }
        }
        return environment;
    }

    /**
     * Starts a node's JVM on a free port ({@code PORT}) with the id {@code id} ({@code ORDERLY_NODE_ID}), root logging
     * at WARN, {@code environment} (which may say otherwise), and {@code arguments} after the jar; its output goes to
     * {@code log}. {@link #awaitReady} waits for it.
     */
    public static ClusterNodeProcess start(String id, Path jar, List<String> jvmOptions, List<String> arguments,
                                           Map<String, String> environment, Path workDirectory, Path log) {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDirectory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("LOGGING_LEVEL_ROOT", "WARN");
        builder.environment().putAll(environment);
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("ORDERLY_NODE_ID", id);
        try {
            return new ClusterNodeProcess(id, port, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + command, e);
        }
    }

    /** Waits until the node's readiness probe answers UP; fails with its log's tail if it exits or times out. */
    public ClusterNodeProcess awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!jvm.isAlive()) {
                throw new IllegalStateException(id + " exited with " + jvm.exitValue() + " before it was ready (log "
                        + log + "):\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(id + " was not ready within " + timeout + " (log " + log + "):\n"
                        + tail());
            }
            try {
                HttpResponse<Void> response = PROBE.send(HttpRequest.newBuilder(
                                URI.create("http://localhost:" + port + "/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public String id() {
        return id;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    public boolean alive() {
        return jvm.isAlive();
    }

    /** The node's JVM, for its CPU time. */
    public ProcessHandle handle() {
        return jvm.toHandle();
    }

    /** {@code kill -9}: no shutdown hook runs, no claim is released, no pool is closed. */
    public void kill() {
        jvm.toHandle().destroyForcibly();
        try {
            jvm.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last 80 lines of the node's log. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    /** A graceful stop, forced after 30 s. */
    @Override
    public void close() {
        if (jvm.isAlive()) {
            jvm.destroy();
            try {
                if (!jvm.waitFor(30, TimeUnit.SECONDS)) {
                    jvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "cluster node " + id + " on port " + port;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
