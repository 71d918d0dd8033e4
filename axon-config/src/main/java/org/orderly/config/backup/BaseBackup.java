package org.orderly.config.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

/**
 * A base backup of a running PostgreSQL with nothing but the server's own low-level backup API and file copies,
 * so that the embedded server, which ships without {@code pg_basebackup}, can be backed up while it serves:
 * <ol>
 *   <li>one session holds a temporary physical replication slot that reserves WAL from now on, so no segment the
 *       backup needs is recycled while the files are copied;</li>
 *   <li>{@code pg_backup_start(label, fast => true)} checkpoints and marks where replay must begin;</li>
 *   <li>the data directory is copied as it is, changing under the copy: what the copy catches half-written,
 *       replay repairs, since {@code full_page_writes} is on and every change after the checkpoint is in the
 *       WAL (what PostgreSQL's own documentation leaves out of a copy is left out here too);</li>
 *   <li>{@code pg_backup_stop()} ends the backup, switches to a new WAL segment, and returns the
 *       {@code backup_label} written into the copy;</li>
 *   <li>the WAL from the backup's start to its end is copied into the copy's {@code pg_wal}, so the backup alone
 *       restores to a consistent state (as {@code pg_basebackup --wal-method=fetch} would); with WAL archiving on
 *       it waits until that WAL is also archived, so a restore can go on from the archive to any later moment.</li>
 * </ol>
 * The database's passwords file and the embedded issuer's accounts file are copied beside the data, owner-only:
 * without the first the restored data cannot be opened. Everything is written under {@code <label>.partial} and
 * renamed to {@code <label>} once synced, with {@code backup.properties} last: a directory without the suffix is
 * a complete backup. A failure ends the session, which aborts the backup on the server and drops the slot.
 */
final class BaseBackup {

    /** What a backup is doing. */
    enum Phase { STARTING, COPYING, FINISHING, DONE, FAILED }

    /** Told how a backup goes, from the thread that takes it. */
    interface Progress {
        void phase(Phase phase);

        void copied(long bytes, long total);
    }

    static final String DATA = "pgdata";
    static final String CREDENTIALS = "pgdata-credentials.properties";
    static final String ACCOUNTS = "accounts.properties";
    static final String PARTIAL = ".partial";

    /** Directories whose contents PostgreSQL recreates or does not need in a backup (their directories stay). */
    private static final Set<String> EMPTIED = Set.of("pg_wal", "pg_replslot", "pg_dynshmem", "pg_notify",
            "pg_serial", "pg_snapshots", "pg_stat_tmp", "pg_subtrans");
    /** Files of the running server that must not be in a backup; {@code epg-lock} is the embedded library's lock. */
    private static final Set<String> LEFT_OUT = Set.of("postmaster.pid", "postmaster.opts", "epg-lock",
            "backup_label", "backup_label.old", "tablespace_map", "tablespace_map.old", "recovery.signal",
            "standby.signal", "postgresql.auto.conf.tmp", "current_logfiles");
    private static final Pattern START_WAL = Pattern.compile("START WAL LOCATION: (\\S+) \\(file ([0-9A-F]{24})\\)");
    private static final Pattern SEGMENT = Pattern.compile("[0-9A-F]{24}");

    private BaseBackup() {
    }

    /**
     * Takes a backup named {@code label} into {@code directory/label}.
     *
     * @param superuser   a superuser of the server (the low-level API and the slot need one)
     * @param credentials the database's passwords file, copied into the backup; may not exist
     * @param accounts    the embedded issuer's accounts file, copied into the backup if it exists
     */
    static BackupManifest take(DataSource superuser, Path directory, String label, Path credentials, Path accounts,
                               Progress progress, Clock clock) throws IOException, SQLException {
        Path partial = directory.resolve(label + PARTIAL);
        Path complete = directory.resolve(label);
        if (Files.exists(complete)) {
            throw new IllegalStateException("A backup named " + label + " exists already in " + directory);
        }
        OwnerOnly.createDirectories(directory);
        FileTrees.delete(partial);
        OwnerOnly.createDirectories(partial);
        Path copy = partial.resolve(DATA);
        Instant startedAt = clock.instant();
        progress.phase(Phase.STARTING);
        try (Connection session = superuser.getConnection()) {
            session.setAutoCommit(true);
            Path data = Path.of(text(session, "SHOW data_directory"));
            if ("minimal".equals(text(session, "SHOW wal_level"))) {
                throw new IllegalStateException("wal_level is minimal: the WAL holds too little for a base backup");
            }
            try (var tablespaces = Files.list(data.resolve("pg_tblspc"))) {
                if (tablespaces.findAny().isPresent()) {
                    throw new IllegalStateException("The server has tablespaces of its own, which this backup does "
                            + "not copy; use pg_basebackup");
                }
            }
            boolean archiving = !"off".equals(text(session, "SHOW archive_mode"));
            long segmentSize = Long.parseLong(text(session,
                    "SELECT setting FROM pg_settings WHERE name = 'wal_segment_size'"));
            String serverVersion = text(session, "SHOW server_version");
            String slot = "orderly_backup_" + label.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "_");
            update(session, "SELECT pg_create_physical_replication_slot(?, true, true)", slot);
            String startLsn = text(session, "SELECT pg_backup_start(?, true)::text", "orderly " + label);

            progress.phase(Phase.COPYING);
            long total = FileTrees.size(data, BaseBackup::included);
            AtomicLong copied = new AtomicLong();
            FileTrees.copy(data, copy, BaseBackup::included, bytes -> progress.copied(copied.addAndGet(bytes), total));

            progress.phase(Phase.FINISHING);
            String stopLsn;
            String labelFile;
            String stopSegment;
            try (PreparedStatement stop = session.prepareStatement(
                    "SELECT s.lsn::text, s.labelfile, s.spcmapfile, pg_walfile_name(s.lsn) FROM pg_backup_stop(?) s")) {
                stop.setBoolean(1, archiving);
                try (ResultSet row = stop.executeQuery()) {
                    row.next();
                    stopLsn = row.getString(1);
                    labelFile = row.getString(2);
                    if (row.getString(3) != null && !row.getString(3).isBlank()) {
                        throw new IllegalStateException("The server reported tablespaces this backup did not copy");
                    }
                    stopSegment = row.getString(4);
                }
            }
            Files.writeString(copy.resolve("backup_label"), labelFile);
            Matcher start = START_WAL.matcher(labelFile);
            if (!start.find()) {
                throw new IllegalStateException("Unexpected backup_label from the server: " + labelFile);
            }
            String startSegment = start.group(2);
            copyWal(data.resolve("pg_wal"), copy.resolve("pg_wal"), startSegment, stopSegment, segmentSize);
            update(session, "SELECT pg_drop_replication_slot(?)", slot);

            if (Files.exists(credentials)) {
                OwnerOnly.copy(credentials, partial.resolve(CREDENTIALS));
            }
            if (accounts != null && Files.exists(accounts)) {
                OwnerOnly.copy(accounts, partial.resolve(ACCOUNTS));
            }
            FileTrees.sync(partial);
            long bytes = FileTrees.size(partial, path -> true);
            BackupManifest manifest = new BackupManifest(label, startedAt, clock.instant(), startLsn, stopLsn,
                    startSegment, stopSegment, bytes, serverVersion, data.toString(), archiving);
            manifest.write(partial);
            Files.move(partial, complete, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            FileTrees.syncDirectory(directory);
            progress.phase(Phase.DONE);
            return manifest;
        } catch (IOException | SQLException | RuntimeException e) {
            progress.phase(Phase.FAILED);
            try {
                FileTrees.delete(partial);
            } catch (IOException | UncheckedIOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Whether a path of the data directory (relative to it) belongs in a backup. */
    static boolean included(Path relative) {
        String name = relative.getFileName().toString();
        if (relative.getNameCount() == 1 && LEFT_OUT.contains(name)) {
            return false;
        }
        if (relative.getNameCount() >= 2 && EMPTIED.contains(relative.getName(0).toString())) {
            return false;
        }
        return !name.startsWith("pgsql_tmp") && !name.equals("pg_internal.init");
    }

    /**
     * Copies every WAL segment from {@code first} to {@code last} of the backup's timeline, and the timeline
     * history files, which a restore needs to follow the timeline the backup was taken on.
     */
    private static void copyWal(Path wal, Path into, String first, String last, long segmentSize) throws IOException {
        if (!SEGMENT.matcher(last).matches() || !first.substring(0, 8).equals(last.substring(0, 8))) {
            throw new IllegalStateException("The backup ended on WAL segment " + last + ", not on the timeline of "
                    + first);
        }
        long segmentsPerId = 0x1_0000_0000L / segmentSize;
        long from = Long.parseLong(first.substring(8, 16), 16) * segmentsPerId + Long.parseLong(first.substring(16), 16);
        long to = Long.parseLong(last.substring(8, 16), 16) * segmentsPerId + Long.parseLong(last.substring(16), 16);
        for (long segment = from; segment <= to; segment++) {
            String name = first.substring(0, 8) + String.format("%08X%08X", segment / segmentsPerId,
                    segment % segmentsPerId);
            try {
                Files.copy(wal.resolve(name), into.resolve(name));
            } catch (NoSuchFileException e) {
                throw new IllegalStateException("WAL segment " + name + ", which the backup needs, is gone from "
                        + wal, e);
            }
        }
        try (var files = Files.list(wal)) {
            for (Path history : files.filter(f -> f.getFileName().toString().endsWith(".history")).toList()) {
                Files.copy(history, into.resolve(history.getFileName()));
            }
        }
    }

    private static String text(Connection session, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = session.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    private static void update(Connection session, String sql, Object... parameters) throws SQLException {
        text(session, sql, parameters);
    }
}
