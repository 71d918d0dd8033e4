package org.orderly.config.backup;

import java.nio.file.Path;
import java.time.Duration;

import org.orderly.config.database.DatabaseProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orderly.backup.*}: where the embedded PostgreSQL's base backups and archived WAL go.
 *
 * @param directory      where base backups are written, one directory each, with the archived WAL in its
 *                       {@code wal} directory; empty: {@code backups} beside the embedded data directory
 *                       ({@code .orderly/backups} by default). Put it on another disk than the data: a backup on
 *                       the disk it protects is lost with it
 * @param archiveWal     whether the embedded PostgreSQL copies every completed WAL segment into
 *                       {@code <directory>/wal} ({@code archive_mode}, with PostgreSQL's {@code basic_archive}
 *                       module, which syncs each copy before it counts): what a restore to any later moment
 *                       (point-in-time recovery) replays. Off, a backup restores to the moment it ended
 * @param archiveTimeout with {@code archive-wal}, the longest a written change waits before its WAL segment is
 *                       archived even if not full ({@code archive_timeout}): what a lost data disk may cost at most
 */
@ConfigurationProperties("orderly.backup")
public record BackupProperties(Path directory,
                               @DefaultValue("false") boolean archiveWal,
                               @DefaultValue("5m") Duration archiveTimeout) {

    /** The directory of base backups, for the embedded database configured by {@code embedded}. */
    public Path directoryFor(DatabaseProperties.Embedded embedded) {
        if (directory != null && !directory.toString().isBlank()) {
            return directory.toAbsolutePath().normalize();
        }
        Path data = embedded.dataDirectory().toAbsolutePath().normalize();
        return data.resolveSibling("backups");
    }

    /** Where archived WAL segments are kept: one archive for every backup of the directory. */
    public Path walArchiveFor(DatabaseProperties.Embedded embedded) {
        return directoryFor(embedded).resolve(WAL_DIRECTORY);
    }

    /** The name of the archive inside the backup directory; no backup is ever given this name. */
    public static final String WAL_DIRECTORY = "wal";
}
