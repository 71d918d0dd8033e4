package org.orderly.config.database;

import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.orderly.config.OrderlyProperties;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The PostgreSQL Orderly runs on: an external one when {@code orderly.database.url} is set, otherwise an
 * embedded one it starts itself. Knows how to reach it as the event-store role and, when Orderly
 * manages roles, as an administrator.
 */
public final class OrderlyDatabase implements AutoCloseable {

    private final EmbeddedPostgresServer embedded;
    private final String url;
    private final String username;
    private final String password;
    private final DataSource admin;
    private final List<String> mainSchemas;

    private OrderlyDatabase(EmbeddedPostgresServer embedded, String url, String username, String password,
                            DataSource admin, List<MainSchema> mainSchemas) {
        this.embedded = embedded;
        this.url = url;
        this.username = username;
        this.password = password;
        this.admin = admin;
        this.mainSchemas = mainSchemas.stream().map(MainSchema::name).toList();
    }

    /** Starts the embedded database if none is configured, and provisions the main role and schemas. */
    public static OrderlyDatabase open(OrderlyProperties.Database settings, List<MainSchema> mainSchemas) {
        String username = DatabaseAdministration.requireIdentifier(settings.getUsername());
        if (!settings.isExternal()) {
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start(settings.getEmbedded());
            OrderlyDatabase db = new OrderlyDatabase(server, server.jdbcUrl(), username,
                    DatabaseAdministration.generatePassword(), server.superuser(), mainSchemas);
            db.provisionMainSchemas(mainSchemas);
            return db;
        }
        boolean manage = Boolean.TRUE.equals(settings.getManageRoles());
        DataSource admin = manage
                ? new SimpleDriverDataSource(new org.postgresql.Driver(), settings.getUrl(), username, settings.getPassword())
                : null;
        // An external administrator connection is the event-store role itself: it owns the main schemas already.
        return new OrderlyDatabase(null, settings.getUrl(), username, settings.getPassword(), admin, mainSchemas);
    }

    private void provisionMainSchemas(List<MainSchema> mainSchemas) {
        List<DatabaseAdministration.OwnedSchema> owned = mainSchemas.stream()
                .map(s -> new DatabaseAdministration.OwnedSchema(username, s.name(), false))
                .toList();
        DatabaseAdministration.provision(admin, owned, owned.stream().map(o -> password).toList());
    }

    public String url() {
        return url;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** The main-database schemas the event-store role owns. */
    public List<String> mainSchemas() {
        return mainSchemas;
    }

    public boolean isEmbedded() {
        return embedded != null;
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
