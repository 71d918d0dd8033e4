package org.orderly.config.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A real PostgreSQL started from the binaries on the classpath, with its data in a directory that
 * survives restarts. The library starts PostgreSQL with {@code -F} (fsync off) and
 * {@code synchronous_commit=off}; both are switched back on here, since a later {@code -c} wins, so an
 * acknowledged command survives a crash.
 * <p>
 * Safe on a shared machine: it listens on the loopback addresses only, and every role, the superuser included,
 * logs in with a SCRAM-SHA-256 password, over TCP and over the Unix socket alike; the passwords are kept in an
 * owner-only file beside the data directory ({@link EmbeddedCredentials}). The library's own {@code initdb} would
 * trust everyone: it gets {@code --auth=scram-sha-256} and the superuser's password instead, and Orderly writes
 * {@code pg_hba.conf} itself at every start. A data directory that an earlier version created with {@code trust}
 * (or whose credentials file was lost) is brought over once: it starts with the superuser alone trusted on the
 * loopback addresses, gets its password, and the password-only {@code pg_hba.conf} is loaded before anything else
 * connects.
 * <p>
 * The server process outlives this object's knowledge of it in two ways, both handled here with {@link Postmaster}:
 * it may end while the application runs ({@link #restart} starts it again, as {@link EmbeddedDatabaseWatchdog}
 * asks), and it keeps running when the JVM that started it is killed (the next start stops that orphan first).
 */
final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    /** Every connection, over the Unix socket or TCP on a loopback address, logs in with a SCRAM password. */
    static final String PASSWORD_ONLY_HBA = """
            # Written by Orderly at every start of its embedded PostgreSQL: changes here are overwritten.
            # Every role, over the Unix socket or TCP on the loopback addresses, logs in with a SCRAM-SHA-256 password.
            local   all   all                  scram-sha-256
            host    all   all   127.0.0.1/32   scram-sha-256
            host    all   all   ::1/128        scram-sha-256
            """;

    /** Only while a data directory without a known superuser password is brought over: that superuser, locally. */
    private static final String SUPERUSER_RESET_HBA = """
            # Written by Orderly for the seconds it takes to give the superuser a password; replaced at once.
            local   all   postgres                  trust
            host    all   postgres   127.0.0.1/32   trust
            host    all   postgres   ::1/128        trust
            """;

    /** Access and durability: set after the operator's settings, so that they always win. */
    private static final Map<String, String> ENFORCED_SETTINGS = orderedMap(
            "listen_addresses", "localhost",
            "password_encryption", "scram-sha-256",
            "fsync", "on",
            "synchronous_commit", "on",
            "full_page_writes", "on",
            "max_connections", "200",
            // The server's log is relayed into Orderly's: an error's DETAIL ("Key (login)=(…) already exists",
            // "Failing row contains (…)") and the statement it failed in quote values, personal data among them.
            "log_error_verbosity", "terse",
            "log_min_error_statement", "panic");

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final EmbeddedCredentials credentials;
    private final boolean temporary;
    /** Every {@code -c} setting the server was started with, to start it again with the same ones. */
    private final Map<String, String> serverSettings;
    private final Duration startupTimeout;
    /** Where {@code pg_ctl} is, or {@code null} if the running server's binary could not be found. */
    private final Path binaries;
    private volatile ProcessHandle postmaster;
    private volatile boolean closed;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory, EmbeddedCredentials credentials,
                                   boolean temporary, Map<String, String> serverSettings, Duration startupTimeout) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.credentials = credentials;
        this.temporary = temporary;
        this.serverSettings = Map.copyOf(serverSettings);
        this.startupTimeout = startupTimeout;
        this.postmaster = Postmaster.running(dataDirectory).orElseThrow(() -> new IllegalStateException(
                "The embedded PostgreSQL in " + dataDirectory + " started, but its postmaster.pid names no running server"));
        this.binaries = Postmaster.binaries(postmaster).orElse(null);
        if (binaries == null) {
            log.warn("The binaries of the embedded PostgreSQL (pid {}) could not be located: should it stop, Orderly "
                    + "cannot start it again", postmaster.pid());
        }
    }

    /** The server {@link EmbeddedDatabaseEarlyStart} began to start for these settings, or else a new one. */
    static EmbeddedPostgresServer start(DatabaseProperties.Embedded settings) {
        EmbeddedPostgresServer early = EmbeddedDatabaseEarlyStart.take(settings);
        return early != null ? early : launch(settings);
    }

    static EmbeddedPostgresServer launch(DatabaseProperties.Embedded settings) {
        Path dataDirectory = settings.dataDirectory().toAbsolutePath().normalize();
        Path passwordFile = dataDirectory.resolveSibling(dataDirectory.getFileName() + "-initdb-password.tmp");
        try {
            Files.createDirectories(dataDirectory.getParent());
            boolean fresh = !Files.exists(dataDirectory.resolve("postgresql.conf"));
            EmbeddedCredentials credentials = EmbeddedCredentials.open(dataDirectory);
            boolean passwordKnown = credentials.has(EmbeddedCredentials.SUPERUSER);
            String superuserPassword = credentials.passwordFor(EmbeddedCredentials.SUPERUSER);
            Path hba = dataDirectory.resolve("pg_hba.conf");
            boolean bringOver = !fresh && (!passwordKnown || allowsTrust(Files.readString(hba)));

            if (!fresh) {
                // A JVM killed with kill -9 leaves its PostgreSQL running on this directory, which would refuse to start.
                Postmaster.stopOrphan(dataDirectory, settings.startupTimeout());
            }
            // Operator settings first, so that the durability and access settings below always win.
            Map<String, String> serverSettings = new LinkedHashMap<>(settings.serverSettings());
            serverSettings.putAll(ENFORCED_SETTINGS);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            serverSettings.forEach(builder::setServerConfig);
            if (fresh) {
                // The library runs initdb with "-A trust"; a later --auth wins, and initdb then insists on a password.
                Files.deleteIfExists(passwordFile);
                EmbeddedCredentials.createOwnerOnly(passwordFile);
                Files.writeString(passwordFile, superuserPassword + "\n");
                builder.setLocaleConfig("auth", "scram-sha-256").setLocaleConfig("pwfile", passwordFile.toString());
            } else {
                Files.writeString(hba, bringOver ? SUPERUSER_RESET_HBA : PASSWORD_ONLY_HBA);
            }
            EmbeddedPostgres postgres = builder
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    // Stopped by Spring, after the processors release their claims: the library's own JVM hook
                    // would stop PostgreSQL while they still need it, and every pool would wait out its timeout.
                    .setRegisterShutdownHook(false)
                    .setPort(settings.port())
                    .setPGStartupWait(settings.startupTimeout())
                    // The library's readiness check and superuser data source log in with this.
                    .setConnectConfig("password", superuserPassword)
                    .start();
            EmbeddedPostgresServer server;
            try {
                server = new EmbeddedPostgresServer(postgres, dataDirectory, credentials, settings.temporary(),
                        serverSettings, settings.startupTimeout());
            } catch (RuntimeException e) {
                postgres.close();
                throw e;
            }
            try {
                if (bringOver) {
                    new JdbcTemplate(server.superuser()).execute("ALTER ROLE " + EmbeddedCredentials.SUPERUSER
                            + " PASSWORD '" + superuserPassword + "'");
                    log.warn("Embedded PostgreSQL in {} trusted local connections or had no known superuser password: "
                            + "every role now needs its password, kept in {}", dataDirectory, credentials.file());
                }
                // initdb's own file (fresh) already asks everyone for a password: no reload needed then.
                if (!passwordOnly(Files.readString(hba))) {
                    Files.writeString(hba, PASSWORD_ONLY_HBA);
                    new JdbcTemplate(server.superuser()).queryForObject("SELECT pg_reload_conf()", Boolean.class);
                    server.awaitPasswordsRequired();
                }
            } catch (RuntimeException | IOException e) {
                server.close();
                throw e;
            }
            log.info("Embedded PostgreSQL {} on port {} with data in {}; passwords in {}",
                    fresh ? "initialised" : "reopened", postgres.getPort(), dataDirectory, credentials.file());
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDirectory, e);
        } finally {
            try {
                Files.deleteIfExists(passwordFile);
            } catch (IOException e) {
                log.warn("Could not delete {}", passwordFile, e);
            }
        }
    }

    /** Whether every rule of a pg_hba.conf asks for a SCRAM password. */
    static boolean passwordOnly(String hba) {
        return hba.lines()
                .map(line -> line.replaceFirst("#.*", "").strip())
                .filter(line -> !line.isEmpty())
                .allMatch(line -> line.endsWith(" scram-sha-256") || line.endsWith("\tscram-sha-256"));
    }

    /** Whether a pg_hba.conf lets anyone in without a password. */
    static boolean allowsTrust(String hba) {
        return hba.lines()
                .map(line -> line.replaceFirst("#.*", "").strip())
                .filter(line -> !line.isEmpty())
                .anyMatch(line -> line.matches(".*\\s(trust|peer|ident)(\\s.*)?"));
    }

    /**
     * Waits until the server has loaded the password-only rules: {@code pg_reload_conf()} only signals the
     * postmaster, and nothing may connect before a wrong password is refused.
     */
    private void awaitPasswordsRequired() {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (Connection ignored = DriverManager.getConnection(jdbcUrl(), EmbeddedCredentials.SUPERUSER,
                    "not-" + credentials.passwordFor(EmbeddedCredentials.SUPERUSER))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The embedded PostgreSQL still accepts a wrong password after "
                            + "reloading its pg_hba.conf");
                }
            } catch (SQLException e) {
                if ("28P01".equals(e.getSQLState())) {
                    return; // invalid_password: the password-only rules are in force
                }
                throw new IllegalStateException("Unexpected answer from the embedded PostgreSQL", e);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    /** The superuser, for provisioning roles and schemas only. */
    DataSource superuser() {
        return postgres.getPostgresDatabase();
    }

    /** The passwords of this server's roles, kept across restarts. */
    EmbeddedCredentials credentials() {
        return credentials;
    }

    Path dataDirectory() {
        return dataDirectory;
    }

    /** Whether the server process this object started (or last started again) is still running. */
    boolean running() {
        return Postmaster.alive(postmaster);
    }

    /** The running (or last) server process's id. */
    long pid() {
        return postmaster.pid();
    }

    int port() {
        return postgres.getPort();
    }

    /**
     * Starts the server again on the same data directory, port and settings after its process ended, whatever
     * ended it: PostgreSQL replays its write-ahead log, so every committed transaction is there again (fsync is
     * on). A server found running on the directory (started by hand, or still finishing an earlier attempt) is
     * taken over as it is.
     */
    synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("The embedded PostgreSQL is being stopped");
        }
        if (Postmaster.alive(postmaster)) {
            return;
        }
        var running = Postmaster.running(dataDirectory);
        if (running.isEmpty()) {
            if (binaries == null) {
                throw new IllegalStateException("The binaries of the embedded PostgreSQL are unknown: restart Orderly");
            }
            Postmaster.removeIfStale(dataDirectory);
            Postmaster.start(binaries, dataDirectory, postgres.getPort(), serverSettings, startupTimeout);
            running = Postmaster.running(dataDirectory);
        }
        postmaster = running.orElseThrow(() -> new IllegalStateException("pg_ctl reported the embedded PostgreSQL "
                + "started, but " + dataDirectory.resolve("postmaster.pid") + " names no running server"));
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }

    @Override
    public void close() {
        closed = true;
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
            credentials.delete();
        }
    }
}
