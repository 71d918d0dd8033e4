package org.orderly.config;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * What every Orderly node has whatever it runs: scheduled background work. Each package's own auto-configuration
 * declares the rest (commands in {@code command}, the HTTP conventions in {@code web}, the database in
 * {@code database}); this root package holds only what every package may use (settings, defaults, health statuses),
 * so that it depends on none of them.
 */
@AutoConfiguration
@EnableScheduling
@EnableConfigurationProperties({OrderlyProperties.class, ProcessorProperties.class})
public class OrderlyAutoConfiguration {
}
