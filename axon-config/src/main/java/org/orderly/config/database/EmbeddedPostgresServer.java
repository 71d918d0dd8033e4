package org.orderly.config.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.orderly.config.OrderlyProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL started from the binaries on the classpath, with its data in a directory that
 * survives restarts. The library starts PostgreSQL with {@code -F} (fsync off) and
 * {@code synchronous_commit=off}; both are switched back on here, since a later {@code -c} wins, so an
 * acknowledged command survives a crash.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final boolean temporary;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory, boolean temporary) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.temporary = temporary;
    }

    /** The server {@link EmbeddedDatabaseEarlyStart} began to start for these settings, or else a new one. */
    static EmbeddedPostgresServer start(OrderlyProperties.Embedded settings) {
        EmbeddedPostgresServer early = EmbeddedDatabaseEarlyStart.take(settings);
        return early != null ? early : launch(settings);
    }

    static EmbeddedPostgresServer launch(OrderlyProperties.Embedded settings) {
        Path dataDirectory = settings.getDataDirectory().toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDirectory.getParent());
            boolean fresh = !Files.exists(dataDirectory.resolve("PG_VERSION"));
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            // Operator settings first, so that the durability settings below always win.
            settings.getServerSettings().forEach(builder::setServerConfig);
            EmbeddedPostgres postgres = builder
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    // Stopped by Spring, after the processors release their claims: the library's own JVM hook
                    // would stop PostgreSQL while they still need it, and every pool would wait out its timeout.
                    .setRegisterShutdownHook(false)
                    .setPort(settings.getPort())
                    .setPGStartupWait(settings.getStartupTimeout())
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "200")
                    .start();
            log.info("Embedded PostgreSQL {} on port {} with data in {}",
                    fresh ? "initialised" : "reopened", postgres.getPort(), dataDirectory);
            return new EmbeddedPostgresServer(postgres, dataDirectory, settings.isTemporary());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    /** The superuser, for provisioning roles and schemas only. */
    DataSource superuser() {
        return postgres.getPostgresDatabase();
    }

    Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("Embedded PostgreSQL did not stop cleanly", e);
        }
        if (temporary) {
            // The library's own clean-up would also initialise a fresh directory at every start, which a
            // restart on the same data must not do: the directory goes only once the server has stopped.
            try (var paths = Files.walk(dataDirectory)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException | UncheckedIOException e) {
                log.warn("Could not delete the temporary data directory {}", dataDirectory, e);
            }
        }
    }
}
