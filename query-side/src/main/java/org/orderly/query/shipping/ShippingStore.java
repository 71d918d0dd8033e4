package org.orderly.query.shipping;

import org.orderly.config.domainstore.DomainStoreDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares the shipping domain store: schema {@code shipping}, written by the {@code shipments}
 * projection and by the {@code shipping-product-weights} copy of the catalog's weights.
 */
@Configuration(proxyBeanMethods = false)
class ShippingStore {

    static final String DOMAIN = "shipping";

    @Bean
    DomainStoreDefinition shippingDomainStore() {
        return DomainStoreDefinition.of(DOMAIN, ShipmentProjection.PROCESSING_GROUP,
                ProductWeightProjection.PROCESSING_GROUP);
    }
}
