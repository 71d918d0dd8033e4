package org.orderly.command.customer;

import org.orderly.config.database.MainSchema;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The customer command side's configuration: its set-validation tables live in a main-database schema
 * of their own, and its typed properties.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CustomerProperties.class)
class CustomerConfiguration {

    @Bean
    MainSchema customerRegistry() {
        return new MainSchema("customer_registry");
    }
}
