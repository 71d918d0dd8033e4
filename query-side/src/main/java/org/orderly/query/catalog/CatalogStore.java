package org.orderly.query.catalog;

import org.orderly.config.domainstore.DomainStoreDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Declares the catalog domain store: schema {@code catalog}, written by the {@code products} and {@code categories} projections. */
@Configuration(proxyBeanMethods = false)
class CatalogStore {

    static final String DOMAIN = "catalog";

    @Bean
    DomainStoreDefinition catalogDomainStore() {
        return DomainStoreDefinition.of(DOMAIN, ProductProjection.PROCESSING_GROUP, CategoryProjection.PROCESSING_GROUP);
    }
}
