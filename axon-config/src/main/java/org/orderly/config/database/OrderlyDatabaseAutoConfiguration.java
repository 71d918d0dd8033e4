package org.orderly.config.database;

import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.orderly.config.OrderlyProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The main database: the event store's role, pool and schemas. Domain stores get pools of their own
 * (see {@code DomainStoreAutoConfiguration}); this pool is the only {@link DataSource} bean, so
 * Spring's and Axon's defaults (transaction manager, JdbcTemplate, event storage) bind to it.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class,
        beforeName = "org.axonframework.springboot.autoconfig.JdbcAutoConfiguration")
@EnableConfigurationProperties(OrderlyProperties.class)
public class OrderlyDatabaseAutoConfiguration {

    @Bean
    MainSchema eventStoreSchema() {
        return new MainSchema("event_store");
    }

    /** Answers kept for Idempotency-Key retries; beside the event store, in the main database. */
    @Bean
    MainSchema idempotencySchema() {
        return new MainSchema("idempotency");
    }

    @Bean(destroyMethod = "close")
    OrderlyDatabase orderlyDatabase(OrderlyProperties properties, List<MainSchema> mainSchemas) {
        return OrderlyDatabase.open(properties.getDatabase(), mainSchemas);
    }

    /** The event-store pool. Each main schema is migrated before anything can use it. */
    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(OrderlyDatabase database, OrderlyProperties properties, List<MainSchema> mainSchemas) {
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("orderly-main");
        pool.setJdbcUrl(database.url());
        pool.setUsername(database.username());
        pool.setPassword(database.password());
        pool.setMaximumPoolSize(properties.getDatabase().getPoolSize());
        pool.addDataSourceProperty("reWriteBatchedInserts", "true");
        try {
            InParallel.map(mainSchemas, schema -> {
                migrate(pool, schema.name(), schema.migrationLocation());
                return schema;
            });
        } catch (InParallel.PartialFailure e) {
            pool.close();
            throw (RuntimeException) e.getCause();
        }
        return pool;
    }

    /** One Flyway history per schema, kept inside that schema. */
    public static void migrate(DataSource dataSource, String schema, String... locations) {
        Flyway.configure()
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
