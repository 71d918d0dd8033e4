package org.orderly.query.returns;

import org.orderly.config.domainstore.DomainStoreDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares the returns domain store: schema {@code returns}, written by the returns projection and by the
 * processor that keeps the returns domain's copy of orders (and of what approved returns claim), on which a
 * return request is decided.
 */
@Configuration(proxyBeanMethods = false)
class ReturnsStore {

    static final String DOMAIN = "returns";

    @Bean
    DomainStoreDefinition returnsDomainStore() {
        return DomainStoreDefinition.of(DOMAIN, ReturnProjection.PROCESSING_GROUP,
                ReturnableOrderProjection.PROCESSING_GROUP);
    }
}
