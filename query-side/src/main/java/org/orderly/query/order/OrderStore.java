package org.orderly.query.order;

import org.orderly.config.domainstore.DomainStoreDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares the order domain store: schema {@code orders}, written by the orders projection and by the
 * processors that keep the order domain's cached copies of customers and products. Each copy has its
 * own processor, so each copy's freshness is measured on its own.
 */
@Configuration(proxyBeanMethods = false)
class OrderStore {

    static final String DOMAIN = "orders";

    @Bean
    DomainStoreDefinition orderDomainStore() {
        return DomainStoreDefinition.of(DOMAIN, OrderProjection.PROCESSING_GROUP,
                CustomerCopyProjection.PROCESSING_GROUP, ProductCopyProjection.PROCESSING_GROUP);
    }
}
