package org.orderly.app.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.orderly.app.support.Identities;

/**
 * One Orderly as an operator runs it: the packaged jar in a JVM of its own, on the README's embedded default (its
 * own PostgreSQL in a data directory it owns), and the two ways {@link CrashIT} makes it die: {@code kill -9} of
 * the JVM alone, and of the JVM and its PostgreSQL together (every process of the server, as when the machine
 * loses power). Each start appends to one log, {@code node.log} in the work directory, after a marker line
 * naming the start, so that what a restart said about the previous death can be quoted.
 * <p>
 * The staff and operator passwords go in through the environment, as {@link Identities#PROPERTIES} sets them in
 * process, so the test logs in without reading {@code accounts.properties}.
 */
final class CrashNode implements AutoCloseable {

    /** How long one start may take on a shared 2-core machine: initdb or crash recovery, then Spring. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path jar;
    private final Path work;
    private final Path dataDirectory;
    private final Path log;
    private final int httpPort;
    private final int pgPort;
    private final List<String> extraArguments;
    private Process jvm;
    private int starts;
    /** What each restart after a death logged about the server it found: quoted in the report. */
    private final List<String> restartNotes = new ArrayList<>();

    CrashNode(Path jar, Path work, List<String> extraArguments) {
        this.jar = jar;
        this.work = work;
        this.dataDirectory = work.resolve("pgdata");
        this.log = work.resolve("node.log");
        this.httpPort = freePort();
        this.pgPort = freePort();
        this.extraArguments = List.copyOf(extraArguments);
    }

    int httpPort() {
        return httpPort;
    }

    Path log() {
        return log;
    }

    Path dataDirectory() {
        return dataDirectory;
    }

    List<String> restartNotes() {
        return restartNotes;
    }

    /** Starts the jar on the data directory (created on the first start) and waits until the query side answers. */
    Duration start() {
        starts++;
        long logOffset = logSize();
        appendToLog("\n===== CrashIT start " + starts + " at " + Instant.now() + " =====\n");
        // the quick compiler alone, as for the cluster's nodes: the test counts outcomes, not speed, and restarts often
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-XX:+UseParallelGC",
                "-XX:TieredStopAtLevel=1", "-jar",
                jar.toString(),
                "--server.port=" + httpPort,
                "--orderly.database.embedded.data-directory=" + dataDirectory,
                "--orderly.database.embedded.port=" + pgPort));
        command.addAll(extraArguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // Passwords through the environment, not the command line that any local user can list.
        builder.environment().put("ORDERLY_SECURITY_EMBEDDED_STAFF_PASSWORD", Identities.STAFF_PASSWORD);
        builder.environment().put("ORDERLY_SECURITY_EMBEDDED_OPERATOR_PASSWORD", Identities.OPERATOR_PASSWORD);
        builder.environment().put("ORDERLY_SECURITY_EMBEDDED_ACCESS_TOKEN_TTL", "PT4H");
        long begin = System.nanoTime();
        try {
            jvm = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + command, e);
        }
        awaitReady(logOffset);
        if (starts > 1) {
            String notes = notableLines(logOffset);
            if (!notes.isEmpty()) {
                restartNotes.add("start " + starts + ":\n" + notes);
            }
        }
        return Duration.ofNanos(System.nanoTime() - begin);
    }

    private void awaitReady(long logOffset) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!jvm.isAlive()) {
                throw new IllegalStateException("Orderly (start " + starts + ") exited with " + jvm.exitValue()
                        + " before it answered; what it logged about PostgreSQL and errors:\n" + notableLines(logOffset)
                        + "\nfull log: " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Orderly (start " + starts + ") did not answer within " + START_TIMEOUT
                        + "; what it logged about PostgreSQL and errors:\n" + notableLines(logOffset) + "\nfull log: " + log);
            }
            try {
                HttpResponse<Void> response = PROBE.send(HttpRequest.newBuilder(
                                URI.create("http://localhost:" + httpPort + "/api/products?limit=1"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
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

    /** {@code kill -9} of the JVM alone; answers the PostgreSQL server left running without its owner, if any. */
    Optional<ProcessHandle> killJvm() {
        killForcibly(jvm.toHandle());
        return postmaster();
    }

    /**
     * {@code kill -9} of the JVM, the postmaster named in {@code postmaster.pid} and every process of that server,
     * at once; answers the postmaster's pid.
     */
    long killJvmAndPostgres() {
        ProcessHandle postmaster = postmaster().orElseThrow(() -> new IllegalStateException(
                "No running PostgreSQL named in " + dataDirectory.resolve("postmaster.pid")));
        List<ProcessHandle> server = new ArrayList<>(postmaster.descendants().toList());
        jvm.toHandle().destroyForcibly();
        postmaster.destroyForcibly();
        server.forEach(ProcessHandle::destroyForcibly);
        killForcibly(jvm.toHandle());
        killForcibly(postmaster);
        server.forEach(CrashNode::killForcibly);
        return postmaster.pid();
    }

    /** The postmaster {@code postmaster.pid} names, if that process is alive. */
    Optional<ProcessHandle> postmaster() {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").strip();
            return first.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(first)).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A connection to the embedded server as the event-store role, whose password is kept beside the data directory. */
    Connection eventStore() throws SQLException {
        Path file = dataDirectory.resolveSibling(dataDirectory.getFileName() + "-credentials.properties");
        Properties passwords = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            passwords.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + pgPort + "/postgres", "orderly",
                passwords.getProperty("orderly"));
    }

    /** Kills whatever of this node still runs: the test's clean-up, not part of what it proves. */
    @Override
    public void close() {
        if (jvm != null) {
            killForcibly(jvm.toHandle());
        }
        postmaster().ifPresent(postmaster -> {
            List<ProcessHandle> server = postmaster.descendants().toList();
            killForcibly(postmaster);
            server.forEach(CrashNode::killForcibly);
        });
    }

    /** Lines of this start's log that tell what happened to PostgreSQL, and every error. */
    private String notableLines(long fromOffset) {
        StringBuilder notes = new StringBuilder();
        for (String line : logSince(fromOffset).split("\n")) {
            if (line.contains("the database system is")) {
                continue; // the library polling a server in recovery, once per try
            }
            if (line.contains("postmaster") || line.contains("lock file") || line.contains("pg_ctl")
                    || line.contains("another server") || line.contains("Embedded PostgreSQL") || line.contains("FATAL")
                    || line.contains(" ERROR ") || line.contains("APPLICATION FAILED") || line.startsWith("Caused by")) {
                notes.append("  ").append(line.length() > 400 ? line.substring(0, 400) + "…" : line).append('\n');
            }
        }
        return notes.toString();
    }

    private String logSince(long offset) {
        try {
            byte[] bytes = Files.readAllBytes(log);
            int from = (int) Math.min(offset, bytes.length);
            return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private long logSize() {
        try {
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private void appendToLog(String text) {
        try {
            Files.writeString(log, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void killForcibly(ProcessHandle process) {
        process.destroyForcibly();
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("Process " + process.pid() + " survived kill -9 for 30 s", e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
