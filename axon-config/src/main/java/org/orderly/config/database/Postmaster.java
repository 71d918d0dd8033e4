package org.orderly.config.database;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.util.LinuxUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server process of one data directory, as PostgreSQL itself records it: the first line of
 * {@code postmaster.pid} is the postmaster's process id, and a live postmaster's working directory is its data
 * directory. Used to tell whether the embedded server still runs, to stop one that a killed JVM left behind, and to
 * start it again with {@code pg_ctl}, the binary beside the server's own.
 */
final class Postmaster {

    private static final Logger log = LoggerFactory.getLogger(Postmaster.class);
    /** The server's own output once Orderly restarted it, as the library logs it for the first start. */
    private static final Logger serverLog = LoggerFactory.getLogger(Postmaster.class.getName() + ".server");
    /** The library's lock file in the data directory, held by the JVM whose embedded server uses the directory. */
    private static final String LIBRARY_LOCK = "epg-lock";

    private Postmaster() {
    }

    /** The process id {@code postmaster.pid} names, if the file is there and readable. */
    static OptionalLong recordedPid(Path dataDirectory) {
        try {
            List<String> lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"));
            return lines.isEmpty() || lines.get(0).isBlank() ? OptionalLong.empty()
                    : OptionalLong.of(Long.parseLong(lines.get(0).strip()));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            // A file being written at this instant, or garbage: no postmaster can be told from it.
            return OptionalLong.empty();
        }
    }

    /** The live postmaster of this data directory, if there is one. */
    static Optional<ProcessHandle> running(Path dataDirectory) {
        OptionalLong pid = recordedPid(dataDirectory);
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid.getAsLong()).filter(Postmaster::alive)
                .filter(process -> servesDirectory(process, dataDirectory));
    }

    /**
     * Whether the process runs: a server that died but was not yet reaped by its parent (a zombie) has ended
     * too, though the process table still lists it.
     */
    static boolean alive(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // pid (command) state ...: the command may hold spaces and parentheses, the state follows the last ')'.
            int end = stat.lastIndexOf(')');
            return end < 0 || end + 2 >= stat.length() || stat.charAt(end + 2) != 'Z';
        } catch (IOException | SecurityException e) {
            return process.isAlive();
        }
    }

    /**
     * Whether a live process is a PostgreSQL server of this data directory: a process id in a stale
     * {@code postmaster.pid} may since have been given to an unrelated process.
     */
    private static boolean servesDirectory(ProcessHandle process, Path dataDirectory) {
        Optional<String> command = process.info().command();
        if (command.isPresent() && !Path.of(command.get()).getFileName().toString().equals("postgres")) {
            return false;
        }
        // The postmaster changes into its data directory; where the process table cannot be read, its name decides.
        Path cwd = Path.of("/proc", Long.toString(process.pid()), "cwd");
        try {
            return Files.isSameFile(cwd.toRealPath(), dataDirectory.toRealPath());
        } catch (IOException | SecurityException e) {
            return command.isPresent();
        }
    }

    /**
     * The directory holding {@code pg_ctl} and {@code postgres}: where the running server's binary lives, since the
     * library unpacks its binaries to a directory of its own choosing.
     */
    static Optional<Path> binaries(ProcessHandle postmaster) {
        Optional<Path> command = postmaster.info().command().map(Path::of);
        if (command.isEmpty()) {
            try {
                command = Optional.of(Path.of("/proc", Long.toString(postmaster.pid()), "exe").toRealPath());
            } catch (IOException | SecurityException e) {
                return Optional.empty();
            }
        }
        return command.map(Path::getParent).filter(bin -> Files.isExecutable(bin.resolve("pg_ctl")));
    }

    /**
     * Stops a postmaster that no live JVM owns any more: its JVM was killed (kill -9) and PostgreSQL, which the
     * library starts detached, kept running with the data directory. A fast shutdown (open transactions roll back,
     * a shutdown checkpoint is written) through {@code pg_ctl}; if that does not end it within {@code timeout}, the
     * process is killed and the next start recovers from the write-ahead log, as after any crash. A postmaster that
     * a live JVM still owns (it holds the library's lock on the directory) is never touched.
     *
     * @return whether there was one to stop
     */
    static boolean stopOrphan(Path dataDirectory, Duration timeout) {
        Optional<ProcessHandle> found = running(dataDirectory);
        if (found.isEmpty()) {
            removeIfStale(dataDirectory);
            return false;
        }
        ProcessHandle orphan = found.get();
        if (!ownedByNoLiveJvm(dataDirectory)) {
            throw new IllegalStateException("The embedded PostgreSQL in " + dataDirectory + " (pid " + orphan.pid()
                    + ") belongs to another running Orderly: a data directory serves one node at a time");
        }
        log.warn("Embedded PostgreSQL in {} is still running (pid {}) though the Orderly that started it is gone; "
                + "stopping it (fast shutdown) before starting it again", dataDirectory, orphan.pid());
        long seconds = Math.max(1, timeout.toSeconds());
        Optional<Path> bin = binaries(orphan);
        if (bin.isPresent()) {
            try {
                run(pgCtl(bin.get(), "-D", dataDirectory.toString(), "stop", "-m", "fast", "-w", "-t",
                        Long.toString(seconds)), timeout.plusSeconds(5));
            } catch (RuntimeException e) {
                log.warn("pg_ctl could not stop the orphaned PostgreSQL (pid {}): {}", orphan.pid(), e.getMessage());
            }
        } else {
            // SIGTERM, PostgreSQL's smart shutdown: the killed JVM's connections are already gone.
            orphan.destroy();
        }
        if (!awaitExit(orphan, timeout)) {
            log.warn("The orphaned PostgreSQL (pid {}) did not stop within {}; killing it, its next start recovers "
                    + "from the write-ahead log", orphan.pid(), timeout);
            orphan.destroyForcibly();
            if (!awaitExit(orphan, Duration.ofSeconds(10))) {
                throw new IllegalStateException("Could not stop the orphaned PostgreSQL (pid " + orphan.pid()
                        + ") of " + dataDirectory);
            }
        }
        log.info("The orphaned PostgreSQL (pid {}) of {} has stopped", orphan.pid(), dataDirectory);
        return true;
    }

    /**
     * Deletes a {@code postmaster.pid} whose process id now belongs to a live process that is not this directory's
     * server: PostgreSQL would take that process for a server still running and refuse to start. A file naming a
     * process that has ended is left to PostgreSQL, which overwrites it.
     */
    static void removeIfStale(Path dataDirectory) {
        OptionalLong pid = recordedPid(dataDirectory);
        if (pid.isPresent() && ProcessHandle.of(pid.getAsLong()).filter(Postmaster::alive).isPresent()) {
            log.warn("{} names process {}, which is not the server of that directory: deleting the stale file",
                    dataDirectory.resolve("postmaster.pid"), pid.getAsLong());
            try {
                Files.deleteIfExists(dataDirectory.resolve("postmaster.pid"));
            } catch (IOException e) {
                throw new UncheckedIOException("Could not delete the stale " + dataDirectory.resolve("postmaster.pid"), e);
            }
        }
    }

    /**
     * Whether no running JVM holds the library's lock on the data directory: the JVM that started a server holds it
     * for as long as it runs, and the operating system releases it when that JVM dies, however it dies.
     */
    private static boolean ownedByNoLiveJvm(Path dataDirectory) {
        Path lockFile = dataDirectory.resolve(LIBRARY_LOCK);
        if (!Files.exists(lockFile)) {
            return true;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            try (FileLock lock = channel.tryLock()) {
                return lock != null;
            }
        } catch (OverlappingFileLockException e) {
            return false; // this very JVM runs it
        } catch (IOException e) {
            throw new UncheckedIOException("Could not tell whether a running Orderly uses " + dataDirectory, e);
        }
    }

    /**
     * Starts the server of this data directory again with {@code pg_ctl start}, waiting until it accepts connections
     * (after replaying the write-ahead log, if it had crashed); its output is logged as the first start's is.
     *
     * @param settings what {@code pg_ctl -o} passes on to the server as {@code -c} settings, after the port
     */
    static void start(Path binaries, Path dataDirectory, int port, Map<String, String> settings, Duration timeout) {
        List<String> options = new ArrayList<>(List.of("-p", Integer.toString(port)));
        settings.forEach((name, value) -> {
            options.add("-c");
            options.add(shellQuoted(name + "=" + value));
        });
        List<String> command = pgCtl(binaries, "-D", dataDirectory.toString(), "-o", String.join(" ", options),
                "-w", "-t", Long.toString(Math.max(1, timeout.toSeconds())), "start");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        try {
            Process pgCtl = builder.start();
            // The server inherits this pipe and keeps writing its log to it after pg_ctl has exited.
            Thread reader = new Thread(() -> logLines(pgCtl), "postgres-output");
            reader.setDaemon(true);
            reader.start();
            if (!pgCtl.waitFor(timeout.toMillis() + 10_000, TimeUnit.MILLISECONDS)) {
                pgCtl.destroyForcibly();
                throw new IllegalStateException("pg_ctl start did not finish within " + timeout);
            }
            if (pgCtl.exitValue() != 0) {
                throw new IllegalStateException("pg_ctl start failed (exit " + pgCtl.exitValue() + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run pg_ctl in " + binaries, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting PostgreSQL", e);
        }
    }

    /**
     * A {@code pg_ctl} command line, run the way the library runs it: PostgreSQL refuses to run as root, so as
     * root it runs in a user namespace of its own ({@code unshare -U}), where it is not.
     */
    private static List<String> pgCtl(Path binaries, String... arguments) {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(binaries.resolve("pg_ctl").toString());
        command.addAll(List.of(arguments));
        return command;
    }

    private static void logLines(Process process) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            lines.lines().forEach(serverLog::info);
        } catch (IOException | UncheckedIOException e) {
            serverLog.debug("The server's output ended", e);
        }
    }

    private static void run(List<String> command, Duration timeout) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output;
            try (var in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not finish within " + timeout);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return !process.isAlive();
        } catch (java.util.concurrent.ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** One word for the shell pg_ctl starts the server through. */
    private static String shellQuoted(String word) {
        return "'" + word.replace("'", "'\"'\"'") + "'";
    }
}
