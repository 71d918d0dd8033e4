package org.orderly.query.inventory;

import org.orderly.config.domainstore.DomainStoreDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Declares the inventory domain store: schema {@code inventory}, written by the {@code stock-levels} projection. */
@Configuration(proxyBeanMethods = false)
class InventoryStore {

    static final String DOMAIN = "inventory";

    @Bean
    DomainStoreDefinition inventoryDomainStore() {
        return DomainStoreDefinition.of(DOMAIN, StockLevelProjection.PROCESSING_GROUP);
    }
}
