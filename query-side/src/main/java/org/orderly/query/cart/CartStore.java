package org.orderly.query.cart;

import org.orderly.config.domainstore.DomainStoreDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares the cart domain store: schema {@code cart}, written by the carts projection and by the processors that
 * keep the cart domain's copies of the catalog and of inventory. Each copy has its own processor, so each copy's
 * freshness (lag metrics, the {@code domains} health) is measured on its own; the command side reads the catalog
 * copy and the carts to decide cart commands.
 */
@Configuration(proxyBeanMethods = false)
class CartStore {

    static final String DOMAIN = "cart";

    @Bean
    DomainStoreDefinition cartDomainStore() {
        return DomainStoreDefinition.of(DOMAIN, CartProjection.PROCESSING_GROUP, CheckoutProjection.PROCESSING_GROUP,
                CartProductCopyProjection.PROCESSING_GROUP, CartStockCopyProjection.PROCESSING_GROUP);
    }
}
