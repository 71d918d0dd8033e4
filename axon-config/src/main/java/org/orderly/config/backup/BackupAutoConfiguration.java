package org.orderly.config.backup;

import java.nio.file.Path;
import java.time.Clock;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.orderly.config.database.DatabaseProperties;
import org.orderly.config.database.EmbeddedCredentials;
import org.orderly.config.database.OrderlyDatabase;
import org.orderly.config.database.OrderlyDatabaseAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Backups of the embedded PostgreSQL for operators ({@code /api/ops/backups}, role OPERATOR through the
 * {@code /api/ops/**} rule); WAL archiving ({@link WalArchiving}) and the restore command
 * ({@link BackupCommandLine}) act before the context exists and are registered in {@code spring.factories}.
 */
@AutoConfiguration(after = OrderlyDatabaseAutoConfiguration.class)
@EnableConfigurationProperties({BackupProperties.class, RestoreProperties.class})
public class BackupAutoConfiguration {

    @Bean(destroyMethod = "close")
    Backups backups(OrderlyDatabase database, BackupProperties backup, DatabaseProperties orderly,
                    ConfigurableEnvironment environment) {
        DatabaseProperties.Embedded embedded = orderly.embedded();
        Path data = embedded.dataDirectory().toAbsolutePath().normalize();
        boolean defaultDirectory = backup.directory() == null || backup.directory().toString().isBlank();
        return new Backups(database, backup.directoryFor(embedded), EmbeddedCredentials.fileFor(data),
                BackupCommandLine.accountsFile(environment, data), embedded.temporary() && defaultDirectory,
                Clock.systemUTC());
    }

    /**
     * {@code orderly.backup.age}: seconds since the newest complete backup ended (NaN while there is none), for an
     * alert when backups stop; it reads the backup directory's listing at each scrape.
     */
    @Bean
    MeterBinder backupMetrics(Backups backups) {
        return registry -> Gauge.builder("orderly.backup.age", () -> backups.ageSeconds().orElse(Double.NaN))
                .description("Seconds since the newest complete backup of the embedded database ended")
                .baseUnit("seconds").register(registry);
    }

    @Bean
    @ConditionalOnWebApplication
    BackupOpsController backupOpsController(Backups backups) {
        return new BackupOpsController(backups);
    }
}
