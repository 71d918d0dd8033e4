package org.orderly.config.backup;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * What a complete backup says about itself, in {@code backup.properties} at its top, written last: where its WAL
 * begins and ends, how big it is, and which server it came from.
 *
 * @param label        the backup's name, its directory's name (the UTC time it was asked for)
 * @param startLsn     where replay begins (the backup's checkpoint)
 * @param stopLsn      the first position at which the restored data is consistent
 * @param startSegment the first WAL segment the backup holds
 * @param stopSegment  the last WAL segment the backup holds
 * @param bytes        the backup's size on disk
 * @param archiving    whether the server archived its WAL when the backup was taken: then a restore can go on
 *                     from the archive past the backup's end
 */
public record BackupManifest(String label, Instant startedAt, Instant endedAt, String startLsn, String stopLsn,
                             String startSegment, String stopSegment, long bytes, String serverVersion,
                             String dataDirectory, boolean archiving) {

    static final String FILE = "backup.properties";

    void write(Path backup) throws IOException {
        Properties p = new Properties();
        p.setProperty("label", label);
        p.setProperty("started-at", startedAt.toString());
        p.setProperty("ended-at", endedAt.toString());
        p.setProperty("start-lsn", startLsn);
        p.setProperty("stop-lsn", stopLsn);
        p.setProperty("start-segment", startSegment);
        p.setProperty("stop-segment", stopSegment);
        p.setProperty("bytes", Long.toString(bytes));
        p.setProperty("server-version", serverVersion);
        p.setProperty("data-directory", dataDirectory);
        p.setProperty("archiving", Boolean.toString(archiving));
        Path file = backup.resolve(FILE);
        try (Writer out = Files.newBufferedWriter(file)) {
            p.store(out, "An Orderly base backup of its embedded PostgreSQL; restore with --orderly.restore.from");
        }
        FileTrees.sync(file);
    }

    /** The manifest of a complete backup in {@code backup}, or empty if there is none (not a backup, or unfinished). */
    static Optional<BackupManifest> read(Path backup) {
        Path file = backup.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(new BackupManifest(p.getProperty("label"), Instant.parse(p.getProperty("started-at")),
                Instant.parse(p.getProperty("ended-at")), p.getProperty("start-lsn"), p.getProperty("stop-lsn"),
                p.getProperty("start-segment"), p.getProperty("stop-segment"), Long.parseLong(p.getProperty("bytes")),
                p.getProperty("server-version"), p.getProperty("data-directory"),
                Boolean.parseBoolean(p.getProperty("archiving"))));
    }
}
