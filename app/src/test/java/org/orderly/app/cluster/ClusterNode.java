package org.orderly.app.cluster;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One node of a split Orderly cluster, as an operator runs it: the command-side or query-side deployable's jar in a
 * JVM of its own, configured through the environment only (the variables {@code docker-compose.yml} gives its
 * nodes), on an external PostgreSQL and an external identity provider. Its output goes to {@code <id>.log}.
 */
final class ClusterNode implements AutoCloseable {

    enum Kind { COMMAND_SIDE, QUERY_SIDE }

    private static final Duration START_TIMEOUT = Duration.ofSeconds(600);
    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String id;
    private final Kind kind;
    private final Path log;
    private final int port;
    private final Process jvm;

    private ClusterNode(String id, Kind kind, Path log, int port, Process jvm) {
        this.id = id;
        this.kind = kind;
        this.log = log;
        this.port = port;
        this.jvm = jvm;
    }

    /** Starts the node's JVM; {@link #awaitReady()} waits for it. */
    static ClusterNode start(String id, Kind kind, Path work, Map<String, String> environment) {
        String jar = System.getProperty(kind == Kind.COMMAND_SIDE ? "orderly.commandside.jar" : "orderly.queryside.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("No " + kind + " jar at " + jar + ": run through ./mvnw verify, which "
                    + "packages it before the integration tests");
        }
        int port = freePort();
        Path log = work.resolve(id + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("ORDERLY_NODE_ID", id);
        builder.environment().put("LOGGING_LEVEL_ROOT", "WARN");
        builder.environment().put("LOGGING_LEVEL_ORG_ORDERLY", "INFO");
        try {
            return new ClusterNode(id, kind, log, port, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + command, e);
        }
    }

    /** Waits until the node's readiness probe answers UP. */
    ClusterNode awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!jvm.isAlive()) {
                throw new IllegalStateException(id + " exited with " + jvm.exitValue() + " before it was ready:\n"
                        + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(id + " was not ready within " + START_TIMEOUT + ":\n" + tail());
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
            sleep(250);
        }
    }

    String id() {
        return id;
    }

    Kind kind() {
        return kind;
    }

    int port() {
        return port;
    }

    Path log() {
        return log;
    }

    boolean alive() {
        return jvm.isAlive();
    }

    /** {@code kill -9}: no shutdown hook runs, no claim is released, no pool is closed. */
    void kill() {
        jvm.toHandle().destroyForcibly();
        try {
            jvm.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
