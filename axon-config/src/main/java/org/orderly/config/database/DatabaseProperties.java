package org.orderly.config.database;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orderly.database.*}: the main database, external or embedded.
 *
 * @param url               JDBC URL of an external PostgreSQL. When empty, Orderly starts an embedded PostgreSQL.
 * @param username          the event-store role the application runs as: it may append and read events, never change
 *                          or delete one. With {@code manage-roles=true} on an external database, an administrator
 *                          login instead, and Orderly creates the event-store role {@code orderly} itself.
 * @param password          password of {@code username}; on the embedded database Orderly generates it and keeps it
 *                          beside the data directory.
 * @param ownerUsername     the role that owns the main schemas (the event store's among them) and runs their
 *                          migrations; the application uses it only for that, at startup. Its password is needed with
 *                          an external database Orderly does not manage; otherwise Orderly sets it.
 * @param ownerPassword     password of {@code owner-username}; needed on an external database Orderly does not manage,
 *                          generated otherwise.
 * @param manageRoles       whether Orderly creates the domain roles and schemas itself (needs an administrator
 *                          connection). Defaults to true with the embedded database and false with an external one.
 * @param poolSize          connections in the event store's pool (commands, event reads, tokens of the main schema).
 * @param connectionTimeout how long a command or query waits for a connection from a pool (the main one and every
 *                          domain's) before it fails; with the database unreachable the caller gets a 503 with
 *                          {@code Retry-After} after this long. Four seconds, so that with the work a request does
 *                          besides (a registration hashes a password) the answer comes within five.
 * @param healthTimeout     how long the {@code db} health check (and so readiness) waits for the database before it
 *                          reports DOWN; it has a connection of its own, so a busy or unreachable database never makes
 *                          a probe hang.
 * @param embedded          the embedded PostgreSQL, when {@code url} is empty.
 */
@ConfigurationProperties("orderly.database")
public record DatabaseProperties(String url,
                                 @DefaultValue("orderly") String username,
                                 String password,
                                 @DefaultValue("orderly_owner") String ownerUsername,
                                 String ownerPassword,
                                 Boolean manageRoles,
                                 @DefaultValue("10") int poolSize,
                                 @DefaultValue("4s") Duration connectionTimeout,
                                 @DefaultValue("1s") Duration healthTimeout,
                                 @DefaultValue Embedded embedded) {

    public boolean isExternal() {
        return url != null && !url.isBlank();
    }

    /**
     * {@code orderly.database.embedded.*}: the embedded PostgreSQL.
     *
     * @param dataDirectory    where the embedded PostgreSQL keeps its data; relative paths start at the working
     *                         directory.
     * @param port             port of the embedded PostgreSQL; 0 picks a free one.
     * @param startupTimeout   how long the embedded PostgreSQL may take to start (a crash recovery replays WAL first).
     * @param temporary        deletes the data directory when the server stops: for tests and benchmarks, never for
     *                         real data.
     * @param serverSettings   further postgresql.conf settings (shared_buffers, shared_preload_libraries, ...). fsync,
     *                         synchronous_commit and full_page_writes are always on and cannot be changed here.
     * @param watchdogInterval how often Orderly looks whether the embedded PostgreSQL's server process still runs; when
     *                         it has ended (killed, crashed, stopped by hand) Orderly starts it again on the same data
     *                         directory and port.
     * @param restartDelay     how long after finding the server gone Orderly first tries to start it again (the old
     *                         server's backends notice the postmaster is gone and exit meanwhile); the wait doubles
     *                         after every failed attempt.
     * @param restartMaxDelay  the longest wait between two attempts to start the embedded PostgreSQL again.
     */
    public record Embedded(@DefaultValue(".orderly/pgdata") Path dataDirectory,
                           @DefaultValue("15432") int port,
                           @DefaultValue("60s") Duration startupTimeout,
                           @DefaultValue("false") boolean temporary,
                           Map<String, String> serverSettings,
                           @DefaultValue("500ms") Duration watchdogInterval,
                           @DefaultValue("500ms") Duration restartDelay,
                           @DefaultValue("30s") Duration restartMaxDelay) {

        public Embedded {
            // in the order given: later settings of postgresql.conf override earlier ones
            serverSettings = serverSettings == null ? Map.of()
                    : Collections.unmodifiableMap(new LinkedHashMap<>(serverSettings));
        }

        /** Every default, with the data in {@code dataDirectory}: a test's or a tool's own server. */
        public static Embedded in(Path dataDirectory) {
            return new Embedded(dataDirectory, 15432, Duration.ofSeconds(60), false, null, Duration.ofMillis(500),
                    Duration.ofMillis(500), Duration.ofSeconds(30));
        }

        /** These settings on another port (0: a free one). */
        public Embedded onPort(int port) {
            return new Embedded(dataDirectory, port, startupTimeout, temporary, serverSettings, watchdogInterval,
                    restartDelay, restartMaxDelay);
        }
    }
}
