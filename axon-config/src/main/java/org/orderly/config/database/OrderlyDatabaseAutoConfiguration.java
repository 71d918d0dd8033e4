package org.orderly.config.database;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The main database: the event store's role, pool and schemas. Domain stores get pools of their own
 * (see {@code DomainStoreAutoConfiguration}); this pool is the only {@link DataSource} bean, so
 * Spring's and Axon's defaults (transaction manager, JdbcTemplate, event storage) bind to it.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class,
        beforeName = "org.axonframework.springboot.autoconfig.JdbcAutoConfiguration")
@EnableConfigurationProperties(DatabaseProperties.class)
public class OrderlyDatabaseAutoConfiguration {

    private static final org.slf4j.Logger readyLog = org.slf4j.LoggerFactory.getLogger(OrderlyDatabaseAutoConfiguration.class);

    /** One line once the node serves: where its HTTP API and its database are. */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication
    org.springframework.context.ApplicationListener<org.springframework.boot.context.event.ApplicationReadyEvent> orderlyReadyLog(
            OrderlyDatabase database) {
        return event -> {
            int port = event.getApplicationContext()
                    instanceof org.springframework.boot.web.context.WebServerApplicationContext web
                    ? web.getWebServer().getPort() : -1;
            long uptime = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
            readyLog.info("Orderly ready in {} ms: HTTP http://localhost:{}  JDBC {} ({} PostgreSQL)",
                    uptime, port, database.url(), database.isEmbedded() ? "embedded" : "external");
        };
    }


    /**
     * The events are history: the application may append and read them, never change or remove one. Axon stores
     * a new snapshot of an aggregate by inserting it and deleting the older ones (inventory items are snapshotted),
     * so the snapshot table alone may be deleted from; a snapshot is a cache that the events can always rebuild.
     */
    @Bean
    MainSchema eventStoreSchema() {
        return new MainSchema("event_store", Map.of(
                "domain_event_entry", "SELECT, INSERT",
                "snapshot_event_entry", "SELECT, INSERT, DELETE"));
    }

    /** Answers kept for Idempotency-Key retries; beside the event store, in the main database. */
    @Bean
    MainSchema idempotencySchema() {
        return new MainSchema("idempotency");
    }

    @Bean(destroyMethod = "close")
    OrderlyDatabase orderlyDatabase(DatabaseProperties properties, List<MainSchema> mainSchemas) {
        return OrderlyDatabase.open(properties, mainSchemas);
    }

    /**
     * The event-store pool. Each main schema is migrated, as the owner, before anything can use it; the pool's
     * role must then hold no right beyond those the schemas declare, or the application does not start.
     */
    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(OrderlyDatabase database, DatabaseProperties properties, List<MainSchema> mainSchemas) {
        migrateAsOwner(database, mainSchemas);
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("orderly-main");
        pool.setJdbcUrl(database.url());
        pool.setUsername(database.username());
        pool.setPassword(database.password());
        pool.setMaximumPoolSize(properties.poolSize());
        pool.setConnectionTimeout(properties.connectionTimeout().toMillis());
        pool.addDataSourceProperty("reWriteBatchedInserts", "true");
        // An exception's text never quotes the row it failed on ("Detail: Key (login)=(…)"): it reaches logs and
        // dead letters, and the values are personal data. The SQL state still tells what failed.
        pool.addDataSourceProperty("logServerErrorDetail", "false");
        try {
            List<String> beyond = DatabaseAdministration.privilegesBeyond(new JdbcTemplate(pool), mainSchemas);
            if (!beyond.isEmpty()) {
                throw new IllegalStateException("The event-store role " + database.username() + " may do more than "
                        + "its schemas allow: it " + String.join("; ", beyond) + ". Run the application as a role "
                        + "that owns nothing (the owner is " + database.ownerUsername() + ") and revoke those rights.");
            }
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return pool;
    }

    @Bean
    DatabaseProbe databaseProbe(OrderlyDatabase database, DatabaseProperties properties) {
        return new DatabaseProbe(database.url(), database.username(), database.password(),
                properties.healthTimeout(), Clock.systemUTC());
    }

    /** Starts the embedded PostgreSQL again when its process ends; does nothing with an external database. */
    @Bean
    EmbeddedDatabaseWatchdog embeddedDatabaseWatchdog(OrderlyDatabase database, DatabaseProperties properties,
                                                      ObjectProvider<MeterRegistry> meters) {
        return new EmbeddedDatabaseWatchdog(database, properties.embedded(), meters.getIfAvailable(),
                Clock.systemUTC());
    }

    /**
     * Health {@code db}, part of readiness: DOWN within {@code orderly.database.health-timeout} when the main
     * database does not answer. Replaces Boot's check, which waits on the pool (up to its connection timeout).
     * With the embedded database, its details also tell whether its process runs and how often it was restarted.
     */
    @Bean
    HealthIndicator dbHealthIndicator(DatabaseProbe probe, EmbeddedDatabaseWatchdog watchdog) {
        return new AbstractHealthIndicator("The database does not answer") {
            @Override
            protected void doHealthCheck(Health.Builder builder) throws Exception {
                // Before the check, so that a DOWN answer carries them too.
                builder.withDetail("database", "PostgreSQL");
                if (watchdog.watches()) {
                    builder.withDetail("embedded", watchdog.details());
                }
                probe.check();
                builder.up().withDetail("validationQuery", "SELECT 1");
            }
        };
    }

    /**
     * Migrates every main schema as the owner, on a pool of its own that is closed once they are migrated, and
     * then grants the event-store role exactly what each schema declares.
     */
    private static void migrateAsOwner(OrderlyDatabase database, List<MainSchema> mainSchemas) {
        if (database.ownerPassword() == null) {
            throw notProvisioned(database, "no orderly.database.owner-password is set", null);
        }
        try (HikariDataSource owner = new HikariDataSource()) {
            owner.setPoolName("orderly-owner");
            owner.setJdbcUrl(database.url());
            owner.setUsername(database.ownerUsername());
            owner.setPassword(database.ownerPassword());
            // Flyway holds two connections per schema it migrates (its work and its lock), four schemas at a time.
            owner.setMaximumPoolSize(2 * InParallel.THREADS + 1);
            owner.setMinimumIdle(0);
            InParallel.map(mainSchemas, schema -> {
                migrate(owner, schema.name(), schema.migrationLocation());
                return schema;
            });
            DatabaseAdministration.grantAccess(owner, database.username(), mainSchemas);
        } catch (InParallel.PartialFailure e) {
            throw database.managesRoles() ? (RuntimeException) e.getCause()
                    : notProvisioned(database, e.getCause().getMessage(), e.getCause());
        } catch (RuntimeException e) {
            throw database.managesRoles() ? e : notProvisioned(database, e.getMessage(), e);
        }
    }

    private static IllegalStateException notProvisioned(OrderlyDatabase database, String why, Throwable cause) {
        return new IllegalStateException("Could not migrate the main schemas as their owner " + database.ownerUsername()
                + " (" + why + "). On a database Orderly does not manage, an administrator runs this once "
                + "(README, 'External PostgreSQL'), and the application gets the owner's password "
                + "(orderly.database.owner-password):\n" + DatabaseAdministration.script(database.ownerUsername(),
                database.username(), database.mainSchemas(), List.of()), cause);
    }

    /** One Flyway history per schema, kept inside that schema. */
    public static void migrate(DataSource dataSource, String schema, String... locations) {
        migrate(dataSource, schema, Map.of(), locations);
    }

    /** {@link #migrate(DataSource, String, String...)}, replacing {@code ${name}} in the scripts by these values. */
    public static void migrate(DataSource dataSource, String schema, Map<String, String> placeholders,
                               String... locations) {
        Flyway.configure()
                .placeholders(placeholders)
                .dataSource(dataSource)
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .locations(locations)
                .failOnMissingLocations(false)
                .load()
                .migrate();
    }
}
