package org.orderly.config.backup;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import org.orderly.config.database.EmbeddedCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a base backup into a data directory Orderly starts on as on any other: the backup's files are copied into
 * a fresh directory, its passwords file beside it, and PostgreSQL (the embedded server's own binaries) is run once
 * on it to replay the WAL, then stopped cleanly, so that what Orderly starts on is an ordinary, consistent,
 * shut-down cluster and a restore that cannot succeed fails here, not at Orderly's start.
 * <p>
 * How far it replays ({@link Target}): to the end of the backup ({@code recovery_target = 'immediate'}) with the
 * WAL the backup holds; or, from the WAL archive ({@code restore_command}), to the end of the archive or to a moment
 * in time ({@code recovery_target_time}). It is always an archive recovery ({@code recovery.signal}, with a
 * {@code restore_command} that finds nothing when there is no archive), so that the server is promoted to a new
 * timeline at its end: the restored server then names its WAL segments apart from those the original archived
 * after the backup, and archiving into the same archive never collides. The recovery settings are reset before
 * the server stops, so none is left for Orderly's start. Replay runs with {@code hot_standby} off: no
 * session needs to read during it, and it then does not depend on the recovering server's connection limits
 * matching the original's.
 */
public final class Restore {

    private static final Logger log = LoggerFactory.getLogger(Restore.class);
    private static final DateTimeFormatter POSTGRES_TIME = DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS'+00'").withZone(ZoneOffset.UTC);

    /** How far a restore replays the WAL. */
    public sealed interface Target {
        /** To the end of the backup: the WAL in the backup itself, nothing from the archive. */
        record EndOfBackup() implements Target {
            @Override
            public String toString() {
                return "backup";
            }
        }

        /** Every WAL segment the archive holds (the backup's end when there is no archive). */
        record Latest() implements Target {
            @Override
            public String toString() {
                return "latest";
            }
        }

        /** The last transaction committed at or before this moment; needs the archive. */
        record Time(Instant time) implements Target {
            @Override
            public String toString() {
                return time.toString();
            }
        }

        /** {@code backup}, {@code latest} or an ISO-8601 time with an offset ({@code 2026-12-05T09:30:00Z}). */
        static Target parse(String text) {
            if (text == null || text.isBlank() || text.equals("latest")) {
                return new Latest();
            }
            if (text.equals("backup")) {
                return new EndOfBackup();
            }
            return new Time(java.time.OffsetDateTime.parse(text).toInstant());
        }
    }

    /**
     * What a restore did.
     *
     * @param timeline the timeline the restored data is on (a new one after a replay from the archive)
     * @param lsn      the position of the restored data's last checkpoint
     */
    public record Result(Path dataDirectory, BackupManifest backup, Target target, boolean fromArchive, int timeline,
                         String lsn, Duration took) {
    }

    private Restore() {
    }

    /**
     * Restores {@code backup} into {@code dataDirectory}, which must not exist or be empty.
     *
     * @param walArchive the WAL archive to replay from, or {@code null}: the {@code wal} directory beside the
     *                   backup, if the backup was taken with archiving on and it exists
     * @param accounts   where the embedded issuer's accounts file goes; left alone if a file is there already
     * @param timeout    how long the replay may take
     */
    public static Result run(Path backupDirectory, Path into, Target target, Path walArchive, Path accounts,
                             Duration timeout) throws IOException, SQLException, InterruptedException {
        long began = System.nanoTime();
        Path backup = backupDirectory.toAbsolutePath().normalize();
        Path dataDirectory = into.toAbsolutePath().normalize();
        BackupManifest manifest = BackupManifest.read(backup).orElseThrow(() -> new IllegalArgumentException(
                "Not a complete Orderly backup (no " + BackupManifest.FILE + "): " + backup));
        if (Files.exists(dataDirectory)) {
            try (var entries = Files.list(dataDirectory)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("The data directory " + dataDirectory + " is not empty: "
                            + "restore into a new directory (move the old one aside first)");
                }
            }
        }
        Path archive = walArchive != null ? walArchive.toAbsolutePath().normalize()
                : manifest.archiving() ? backup.resolveSibling(BackupProperties.WAL_DIRECTORY) : null;
        boolean fromArchive = !(target instanceof Target.EndOfBackup) && archive != null && Files.isDirectory(archive);
        if (target instanceof Target.Time time && time.time().isBefore(manifest.startedAt())) {
            throw new IllegalArgumentException("Backup " + manifest.label() + " began at " + manifest.startedAt()
                    + ", after " + time.time() + ": restore a backup taken before that moment");
        }
        if (target instanceof Target.Time && !fromArchive) {
            throw new IllegalArgumentException("A restore to a moment in time replays the WAL archive, and there is "
                    + "none" + (archive == null ? "" : " at " + archive) + ": name it with orderly.restore.wal-archive");
        }

        Replay replay;
        try {
            OwnerOnly.createDirectories(dataDirectory);
            OwnerOnly.restrictDirectory(dataDirectory);
            FileTrees.copy(backup.resolve(BaseBackup.DATA), dataDirectory, path -> true, bytes -> { });
            Path credentials = EmbeddedCredentials.fileFor(dataDirectory);
            if (Files.exists(backup.resolve(BaseBackup.CREDENTIALS))) {
                OwnerOnly.copy(backup.resolve(BaseBackup.CREDENTIALS), credentials);
            }
            if (accounts != null && Files.exists(backup.resolve(BaseBackup.ACCOUNTS)) && !Files.exists(accounts)) {
                OwnerOnly.createDirectories(accounts.toAbsolutePath().normalize().getParent());
                OwnerOnly.copy(backup.resolve(BaseBackup.ACCOUNTS), accounts);
            }
            // Always an archive recovery, ending in a promotion to a new timeline: the restored server then writes
            // WAL under names of its own, never under those the original wrote into the archive after the backup.
            List<String> settings = new ArrayList<>();
            String restoreCommand = fromArchive ? "cp \"" + shellSafe(archive) + "/%f\" \"%p\"" : "false";
            settings.add("restore_command = " + quote(restoreCommand));
            if (target instanceof Target.Time time) {
                settings.add("recovery_target_time = " + quote(POSTGRES_TIME.format(time.time())));
            } else if (target instanceof Target.EndOfBackup) {
                settings.add("recovery_target = 'immediate'");
            }
            settings.add("recovery_target_action = 'promote'");
            Files.writeString(dataDirectory.resolve("postgresql.auto.conf"),
                    "\n# Written by Orderly's restore; reset once the WAL is replayed\n" + String.join("\n", settings) + "\n",
                    java.nio.file.StandardOpenOption.APPEND);
            Files.createFile(dataDirectory.resolve("recovery.signal"));
            String password = Files.exists(credentials)
                    ? EmbeddedCredentials.open(dataDirectory).kept(EmbeddedCredentials.SUPERUSER) : null;
            if (password == null) {
                throw new IllegalArgumentException("The backup has no passwords file (" + BaseBackup.CREDENTIALS
                        + "): without the superuser's password the restored data cannot be opened");
            }
            replay = replay(dataDirectory, password, timeout);
        } catch (IOException | SQLException | InterruptedException | RuntimeException e) {
            // The directory was empty or new: what is in it now is this restore's, and a retry needs it empty.
            try {
                FileTrees.delete(dataDirectory);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        Result result = new Result(dataDirectory, manifest, target, fromArchive, replay.timeline(), replay.lsn(),
                Duration.ofNanos(System.nanoTime() - began));
        log.info("Restored backup {} into {} ({}; timeline {}, checkpoint at {}) in {} ms", manifest.label(),
                dataDirectory, fromArchive ? "WAL archive replayed" : "to the end of the backup", replay.timeline(),
                replay.lsn(), result.took().toMillis());
        return result;
    }

    private record Replay(int timeline, String lsn) {
    }

    /**
     * Runs PostgreSQL on the restored directory until it has replayed what it should and accepts writes, resets the
     * recovery settings, checkpoints and stops it. Its output goes to {@code <data-directory>-restore.log}, whose
     * last lines are quoted when the server gives up.
     */
    private static Replay replay(Path data, String password, Duration timeout)
            throws IOException, SQLException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path serverLog = data.resolveSibling(data.getFileName() + "-restore.log");
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            // As the embedded library does: PostgreSQL refuses to run as root, and in a user namespace of its own
            // it does not run as root (a container running everything as root).
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(postgresBinary().toString(), "-D", data.toString(), "-p", Integer.toString(port),
                "-c", "listen_addresses=localhost", "-c", "unix_socket_directories=",
                "-c", "hot_standby=off", "-c", "archive_mode=off",
                "-c", "fsync=on", "-c", "synchronous_commit=on", "-c", "full_page_writes=on",
                "-c", "max_connections=20"));
        Process server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(serverLog.toFile())).start();
        try {
            Properties login = new Properties();
            login.setProperty("user", EmbeddedCredentials.SUPERUSER);
            login.setProperty("password", password);
            long deadline = System.nanoTime() + timeout.toNanos();
            String url = "jdbc:postgresql://localhost:" + port + "/postgres";
            while (true) {
                if (!server.isAlive()) {
                    throw new IllegalStateException("PostgreSQL stopped while replaying the WAL (exit "
                            + server.exitValue() + "):\n" + tail(serverLog));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The WAL replay took longer than " + timeout + ":\n" + tail(serverLog));
                }
                try (Connection db = DriverManager.getConnection(url, login);
                     Statement sql = db.createStatement()) {
                    if (!bool(sql, "SELECT pg_is_in_recovery()")) {
                        for (String setting : List.of("restore_command", "recovery_target", "recovery_target_time",
                                "recovery_target_action")) {
                            sql.execute("ALTER SYSTEM RESET " + setting);
                        }
                        sql.execute("CHECKPOINT");
                        try (ResultSet row = sql.executeQuery(
                                "SELECT timeline_id, redo_lsn::text FROM pg_control_checkpoint()")) {
                            row.next();
                            return new Replay(row.getInt(1), row.getString(2));
                        }
                    }
                } catch (SQLException notYet) {
                    // 57P03: the database system is starting up; 08001: not listening yet
                    if (!"57P03".equals(notYet.getSQLState()) && !"08001".equals(notYet.getSQLState())) {
                        throw notYet;
                    }
                }
                Thread.sleep(200);
            }
        } finally {
            // SIGTERM: a smart shutdown, which waits for no session since this one is closed, and checkpoints.
            server.destroy();
            if (!server.waitFor(timeout.toSeconds() + 60, java.util.concurrent.TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            Files.deleteIfExists(data.resolve("postmaster.opts"));
        }
    }

    private static boolean bool(Statement sql, String query) throws SQLException {
        try (ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getBoolean(1);
        }
    }

    /**
     * The {@code postgres} binary of the embedded server: the library extracts its binaries once per version and
     * offers no public way to ask where; its own lookup is called so that the very same binaries run the replay.
     */
    private static Path postgresBinary() {
        try {
            Method prepare = EmbeddedPostgres.class.getDeclaredMethod("prepareBinaries", PgBinaryResolver.class,
                    File.class);
            prepare.setAccessible(true);
            File directory = (File) prepare.invoke(null, DefaultPostgresBinaryResolver.INSTANCE, null);
            return directory.toPath().resolve("bin").resolve("postgres");
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Could not find the embedded PostgreSQL's binaries", e);
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no server log: " + e + ")";
        }
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static String shellSafe(Path path) {
        String text = path.toString();
        if (text.contains("\"") || text.contains("'") || text.contains("$") || text.contains("`") || text.contains("\\")) {
            throw new IllegalArgumentException("The WAL archive's path may not hold quotes, $, ` or \\: " + text);
        }
        return text;
    }
}
