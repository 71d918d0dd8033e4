package org.orderly.command.catalog;

import org.orderly.config.database.MainSchema;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The command side's set-validation tables for the catalog live in a main-database schema of their own. */
@Configuration(proxyBeanMethods = false)
class CatalogRegistrySchema {

    @Bean
    MainSchema catalogRegistry() {
        return new MainSchema("catalog_registry");
    }
}
