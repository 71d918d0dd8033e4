package org.orderly.config.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.orderly.config.database.DatabaseProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * With {@code orderly.backup.archive-wal=true} and the embedded PostgreSQL, adds the server settings that archive
 * every completed WAL segment into the backup directory's {@code wal} archive: {@code archive_mode=on} with
 * PostgreSQL's own {@code basic_archive} module (it ships with the server binaries, copies each segment to a
 * temporary name, syncs it and renames it, so a half-written segment never counts as archived), and
 * {@code archive_timeout}. They go in as {@code orderly.database.embedded.server-settings}, at the lowest
 * precedence, so an operator's own setting of the same name still wins; and before the context starts, because
 * the embedded server starts early ({@code EmbeddedDatabaseEarlyStart}) and {@code archive_mode} takes effect only
 * at a server start. The archive directory is created here: {@code basic_archive} refuses to archive into one
 * that does not exist.
 */
public class WalArchiving implements EnvironmentPostProcessor {

    private static final String SETTINGS = "orderly.database.embedded.server-settings";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Binder binder = Binder.get(environment);
        BackupProperties backup = binder.bind("orderly.backup", BackupProperties.class).orElse(null);
        DatabaseProperties database = binder.bindOrCreate("orderly.database", DatabaseProperties.class);
        if (backup == null || !backup.archiveWal() || database.isExternal()) {
            return;
        }
        Path archive = backup.walArchiveFor(database.embedded());
        try {
            OwnerOnly.createDirectories(archive);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the WAL archive " + archive, e);
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(SETTINGS + "[archive_mode]", "on");
        settings.put(SETTINGS + "[archive_library]", "basic_archive");
        settings.put(SETTINGS + "[basic_archive.archive_directory]", archive.toString());
        settings.put(SETTINGS + "[archive_timeout]", backup.archiveTimeout().toSeconds() + "s");
        environment.getPropertySources().addLast(new MapPropertySource("orderlyWalArchiving", settings));
    }
}
