package org.orderly.config.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.config.database.OrderlyDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base backups of the embedded PostgreSQL asked for by operators ({@code POST /api/ops/backups}), taken one at a
 * time on a thread of their own while Orderly keeps serving ({@link BaseBackup}). A running backup is followed in
 * memory; a finished one is what its directory says ({@link BackupManifest}), so the list survives restarts and
 * shows backups taken by any node sharing the directory. Each backup is named after the UTC time it was asked for.
 */
public class Backups implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Backups.class);
    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern LABEL_PATTERN = Pattern.compile("\\d{8}T\\d{9}Z");

    /**
     * A backup as operators see it.
     *
     * @param phase       STARTING (checkpoint), COPYING (the data directory), FINISHING (WAL, passwords, sync),
     *                    DONE or FAILED
     * @param bytesCopied bytes of the data directory copied so far
     * @param bytesTotal  bytes of the data directory when the copy began
     * @param sizeBytes   the finished backup's size on disk (data, WAL, passwords)
     * @param archiving   whether the WAL archive continues from this backup (point-in-time recovery after it)
     */
    public record BackupView(String backupId, String requestedBy, Instant startedAt, String phase, long bytesCopied,
                             long bytesTotal, double percent, Instant endedAt, Long sizeBytes, String startLsn,
                             String stopLsn, String directory, Boolean archiving, String detail) {
    }

    private final OrderlyDatabase database;
    private final Path directory;
    private final Path credentials;
    private final Path accounts;
    private final boolean deleteOnClose;
    private final Clock clock;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "orderly-backup");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Running running;

    /**
     * @param deleteOnClose whether the backups go with the application: only for a temporary data directory
     *                      (tests), whose backups would otherwise outlive it
     */
    public Backups(OrderlyDatabase database, Path directory, Path credentials, Path accounts, boolean deleteOnClose,
                   Clock clock) {
        this.database = database;
        this.directory = directory;
        this.credentials = credentials;
        this.accounts = accounts;
        this.deleteOnClose = deleteOnClose;
        this.clock = clock;
    }

    /** Starts a backup; refused while one runs, and with a database Orderly does not run itself. */
    public synchronized BackupView start(String operator) {
        if (!database.isEmbedded() || database.admin().isEmpty()) {
            throw new RefusedException(Refusal.conflict(null, "Orderly backs up only its embedded PostgreSQL; back up "
                    + "an external one with pg_basebackup or pg_dump (docs/operations/backup-and-restore.md)"));
        }
        Running current = running;
        if (current != null && current.endedAt == null) {
            throw new RefusedException(Refusal.conflict(null, "Backup " + current.label + " is running: follow it at "
                    + "/api/ops/backups/" + current.label));
        }
        Instant now = clock.instant();
        Running next = new Running(LABEL.format(now), operator, now);
        running = next;
        log.info("Backup {} asked for by an operator; writing it to {}", next.label, directory);
        worker.execute(() -> take(next));
        return next.view(directory);
    }

    private void take(Running backup) {
        try {
            BackupManifest manifest = BaseBackup.take(database.admin().orElseThrow(), directory, backup.label,
                    credentials, accounts, backup, clock);
            backup.manifest = manifest;
            log.info("Backup {} done in {} ms: {} bytes, WAL {} to {}{}", backup.label,
                    manifest.endedAt().toEpochMilli() - manifest.startedAt().toEpochMilli(), manifest.bytes(),
                    manifest.startLsn(), manifest.stopLsn(), manifest.archiving() ? ", WAL archived" : "");
        } catch (Exception e) {
            backup.detail = e.getMessage();
            log.error("Backup {} failed", backup.label, e);
        } finally {
            backup.endedAt = clock.instant();
        }
    }

    /** A running backup, or a finished one in the backup directory. */
    public Optional<BackupView> find(String id) {
        Running current = running;
        if (current != null && current.label.equals(id) && current.manifest == null) {
            return Optional.of(current.view(directory));
        }
        if (!LABEL_PATTERN.matcher(id).matches()) {
            return Optional.empty();
        }
        return BackupManifest.read(directory.resolve(id)).map(this::view);
    }

    /** The running backup (or the last one, if it failed) and the finished ones, newest first. */
    public List<BackupView> recent(int limit) {
        List<BackupView> views = new ArrayList<>();
        Running current = running;
        if (current != null && current.manifest == null) {
            views.add(current.view(directory));
        }
        if (Files.isDirectory(directory)) {
            try (var entries = Files.list(directory)) {
                entries.filter(path -> LABEL_PATTERN.matcher(path.getFileName().toString()).matches())
                        .sorted(Comparator.comparing(Path::getFileName).reversed())
                        .map(BackupManifest::read).flatMap(Optional::stream)
                        .limit(Math.max(0, limit - views.size()))
                        .map(this::view).forEach(views::add);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("Could not list the backups in " + directory, e);
            }
        }
        return views;
    }

    /** Seconds since the newest complete backup in the directory ended; empty when there is none. */
    public Optional<Double> ageSeconds() {
        // the running backup, if any, and the newest complete one
        return recent(2).stream()
                .filter(view -> view.sizeBytes() != null && view.endedAt() != null)
                .map(view -> (clock.millis() - view.endedAt().toEpochMilli()) / 1000.0)
                .findFirst();
    }

    private BackupView view(BackupManifest manifest) {
        Running current = running;
        String by = current != null && current.label.equals(manifest.label()) ? current.requestedBy : null;
        return new BackupView(manifest.label(), by, manifest.startedAt(), BaseBackup.Phase.DONE.name(),
                manifest.bytes(), manifest.bytes(), 100.0, manifest.endedAt(), manifest.bytes(), manifest.startLsn(),
                manifest.stopLsn(), directory.resolve(manifest.label()).toString(), manifest.archiving(), null);
    }

    @Override
    public void close() {
        worker.shutdownNow();
        if (deleteOnClose) {
            try {
                FileTrees.delete(directory);
            } catch (IOException e) {
                log.warn("Could not delete the backups of a temporary data directory in {}", directory, e);
            }
        }
    }

    /** A backup being taken, told its progress by {@link BaseBackup}. */
    private static final class Running implements BaseBackup.Progress {
        final String label;
        final String requestedBy;
        final Instant startedAt;
        volatile BaseBackup.Phase phase = BaseBackup.Phase.STARTING;
        volatile long copied;
        volatile long total;
        volatile Instant endedAt;
        volatile BackupManifest manifest;
        volatile String detail;

        Running(String label, String requestedBy, Instant startedAt) {
            this.label = label;
            this.requestedBy = requestedBy;
            this.startedAt = startedAt;
        }

        @Override
        public void phase(BaseBackup.Phase phase) {
            this.phase = phase;
        }

        @Override
        public void copied(long bytes, long total) {
            this.copied = bytes;
            this.total = total;
        }

        BackupView view(Path directory) {
            // DONE once the manifest is here too: until then the backup is still finishing as far as anyone can see
            BaseBackup.Phase phase = this.phase == BaseBackup.Phase.DONE && manifest == null
                    ? BaseBackup.Phase.FINISHING : this.phase;
            double percent = switch (phase) {
                case STARTING -> 0.0;
                case COPYING -> total == 0 ? 0.0 : Math.min(95.0, 95.0 * copied / total);
                case FINISHING -> 95.0;
                case DONE -> 100.0;
                case FAILED -> total == 0 ? 0.0 : Math.min(95.0, 95.0 * copied / total);
            };
            return new BackupView(label, requestedBy, startedAt, phase.name(), copied, total, percent, endedAt,
                    null, null, null, directory.resolve(label).toString(), null, detail);
        }
    }
}
