package org.orderly.command.customer;

import org.orderly.config.database.MainSchema;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The command side's set-validation tables for customers live in a main-database schema of their own. */
@Configuration(proxyBeanMethods = false)
class CustomerRegistrySchema {

    @Bean
    MainSchema customerRegistry() {
        return new MainSchema("customer_registry");
    }
}
