package org.orderly.query.customer;

import org.orderly.config.domainstore.DomainStoreDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Declares the customer domain store: schema {@code customer}, written by the {@code customers} projection. */
@Configuration(proxyBeanMethods = false)
class CustomerStore {

    static final String DOMAIN = "customer";

    @Bean
    DomainStoreDefinition customerDomainStore() {
        return DomainStoreDefinition.of(DOMAIN, CustomerProjection.PROCESSING_GROUP);
    }
}
