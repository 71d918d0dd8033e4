package org.orderly.config.backup;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orderly.restore.*}: the command that restores a backup ({@code java -jar app.jar
 * --orderly.restore.from=<backup>}); Orderly then restores and exits instead of starting.
 *
 * @param from       the backup's directory (one {@code POST /api/ops/backups} wrote); set, the application
 *                   restores it and exits
 * @param to         the data directory to restore into, which must not exist or be empty; empty: the configured
 *                   {@code orderly.database.embedded.data-directory}, so that the next plain start runs on it
 * @param target     how far to replay: {@code latest} (every WAL segment the archive holds, or the end of the
 *                   backup without an archive), {@code backup} (the end of the backup only), or an ISO-8601 time
 *                   with an offset, such as {@code 2026-12-05T09:30:00Z} (the last transaction committed at or
 *                   before it; needs the archive)
 * @param walArchive the WAL archive to replay from; empty: the {@code wal} directory beside the backup, when the
 *                   backup was taken with {@code orderly.backup.archive-wal} on
 * @param timeout    how long the replay may take before the restore gives up
 */
@ConfigurationProperties("orderly.restore")
public record RestoreProperties(Path from, Path to, @DefaultValue("latest") String target, Path walArchive,
                                @DefaultValue("1h") Duration timeout) {
}
