package org.orderly.config.database;

import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The PostgreSQL Orderly runs on: an external one when {@code orderly.database.url} is set, otherwise an
 * embedded one it starts itself. Knows how to reach it as the event-store role (what the application runs as),
 * as the owner of the main schemas (what their migrations run as) and, when Orderly manages roles, as an
 * administrator.
 */
public final class OrderlyDatabase implements AutoCloseable {

    /** The event-store role Orderly creates when it manages the roles of an external database. */
    public static final String MANAGED_EVENT_STORE_ROLE = "orderly";

    private final EmbeddedPostgresServer embedded;
    private final String url;
    private final String username;
    private final String password;
    private final String ownerUsername;
    private final String ownerPassword;
    private final DataSource admin;
    private final List<String> mainSchemas;

    private OrderlyDatabase(EmbeddedPostgresServer embedded, String url, String username, String password,
                            String ownerUsername, String ownerPassword, DataSource admin, List<MainSchema> mainSchemas) {
        this.embedded = embedded;
        this.url = url;
        this.username = DatabaseAdministration.requireIdentifier(username);
        this.password = password;
        this.ownerUsername = DatabaseAdministration.requireIdentifier(ownerUsername);
        this.ownerPassword = ownerPassword;
        this.admin = admin;
        this.mainSchemas = mainSchemas.stream().map(MainSchema::name).toList();
        if (this.username.equals(this.ownerUsername)) {
            throw new IllegalStateException("The event-store role " + username + " must not be the owner of the main "
                    + "schemas: set orderly.database.owner-username to a role of its own");
        }
    }

    /** Starts the embedded database if none is configured, and provisions the main roles and schemas. */
    public static OrderlyDatabase open(DatabaseProperties settings, List<MainSchema> mainSchemas) {
        String owner = settings.ownerUsername();
        if (!settings.isExternal()) {
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start(settings.embedded());
            try {
                EmbeddedCredentials credentials = server.credentials();
                OrderlyDatabase db = new OrderlyDatabase(server, server.jdbcUrl(), settings.username(),
                        credentials.passwordFor(settings.username()), owner, credentials.passwordFor(owner),
                        server.superuser(), mainSchemas);
                db.provisionMainSchemas();
                return db;
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }
        if (Boolean.TRUE.equals(settings.manageRoles())) {
            // The configured login is an administrator's: the application itself runs as a role it creates.
            String administrator = settings.username();
            if (administrator.equals(MANAGED_EVENT_STORE_ROLE) || administrator.equals(owner)) {
                throw new IllegalStateException("With orderly.database.manage-roles=true, orderly.database.username is "
                        + "the administrator that creates the roles " + MANAGED_EVENT_STORE_ROLE + " and " + owner
                        + ", so it cannot be one of them");
            }
            DataSource admin = new SimpleDriverDataSource(new org.postgresql.Driver(), settings.url(),
                    administrator, settings.password());
            OrderlyDatabase db = new OrderlyDatabase(null, settings.url(), MANAGED_EVENT_STORE_ROLE,
                    DatabaseAdministration.generatePassword(), owner, DatabaseAdministration.generatePassword(),
                    admin, mainSchemas);
            db.provisionMainSchemas();
            return db;
        }
        return new OrderlyDatabase(null, settings.url(), settings.username(), settings.password(), owner,
                settings.ownerPassword(), null, mainSchemas);
    }

    private void provisionMainSchemas() {
        DatabaseAdministration.provisionMain(admin, ownerUsername, ownerPassword, username, password, mainSchemas);
    }

    public String url() {
        return url;
    }

    /** The event-store role, which the application runs as. */
    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** The role that owns the main schemas and runs their migrations. */
    public String ownerUsername() {
        return ownerUsername;
    }

    /** {@code null} when an external database's owner password was not configured. */
    public String ownerPassword() {
        return ownerPassword;
    }

    /** The main-database schemas the owner role owns and the event-store role uses. */
    public List<String> mainSchemas() {
        return mainSchemas;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    /** The passwords file of the embedded database, which also holds the domain roles' passwords. */
    public Optional<EmbeddedCredentials> embeddedCredentials() {
        return Optional.ofNullable(embedded).map(EmbeddedPostgresServer::credentials);
    }

    /** The embedded server, which the watchdog starts again when it stops; absent with an external database. */
    Optional<EmbeddedPostgresServer> embeddedServer() {
        return Optional.ofNullable(embedded);
    }

    /** Whether Orderly creates roles and schemas itself; true with the embedded database. */
    public boolean managesRoles() {
        return admin != null;
    }

    /** An administrator connection, present only when Orderly manages roles. */
    public Optional<DataSource> admin() {
        return Optional.ofNullable(admin);
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
