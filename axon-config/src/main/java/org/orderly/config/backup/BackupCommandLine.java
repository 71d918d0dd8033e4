package org.orderly.config.backup;

import java.nio.file.Path;

import org.orderly.config.database.DatabaseProperties;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The restore command: {@code java -jar app.jar --orderly.restore.from=<backup> [--orderly.restore.target=...]}
 * restores the backup into the configured data directory (or {@code orderly.restore.to}) and exits, 0 when the
 * data directory is ready for Orderly to start on, 1 with the reason otherwise. It runs as soon as the
 * configuration is read, before anything else starts, so it sees the same data directory, accounts file and
 * backup directory settings as the application would, and no embedded server is started on the directory it is
 * filling.
 */
public class BackupCommandLine implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment environment = event.getEnvironment();
        Binder binder = Binder.get(environment);
        RestoreProperties restore = binder.bind("orderly.restore", RestoreProperties.class).orElse(null);
        if (restore == null || restore.from() == null) {
            return;
        }
        int status;
        try {
            Restore.Result result = restore(restore, binder, environment);
            System.out.println("Restored backup " + result.backup().label() + " into " + result.dataDirectory()
                    + (result.fromArchive() ? " with the WAL archive replayed" : " to the end of the backup")
                    + " (target " + result.target() + "; timeline " + result.timeline() + ", checkpoint "
                    + result.lsn() + ") in " + result.took().toMillis() + " ms. Start Orderly on it with "
                    + "orderly.database.embedded.data-directory=" + result.dataDirectory());
            status = 0;
        } catch (Exception e) {
            System.err.println("Restore failed: " + e.getMessage());
            status = 1;
        }
        System.exit(status);
    }

    static Restore.Result restore(RestoreProperties restore, Binder binder, ConfigurableEnvironment environment)
            throws Exception {
        DatabaseProperties database = binder.bindOrCreate("orderly.database", DatabaseProperties.class);
        Path to = restore.to() != null ? restore.to() : database.embedded().dataDirectory();
        return Restore.run(restore.from(), to, Restore.Target.parse(restore.target()), restore.walArchive(),
                accountsFile(environment, to), restore.timeout());
    }

    /** Where the embedded issuer reads its accounts file for this data directory (its own default: beside it). */
    static Path accountsFile(ConfigurableEnvironment environment, Path dataDirectory) {
        String configured = environment.getProperty("orderly.security.embedded.accounts-file");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path data = dataDirectory.toAbsolutePath().normalize();
        return data.getParent() == null ? Path.of("accounts.properties") : data.getParent().resolve("accounts.properties");
    }
}
