package org.orderly.query.payment;

import org.orderly.config.domainstore.DomainStoreDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Declares the payment domain store: schema {@code payment}, written by the {@code payments} projection. */
@Configuration(proxyBeanMethods = false)
class PaymentStore {

    static final String DOMAIN = "payment";

    @Bean
    DomainStoreDefinition paymentDomainStore() {
        return DomainStoreDefinition.of(DOMAIN, PaymentProjection.PROCESSING_GROUP);
    }
}
