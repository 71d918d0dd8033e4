package org.orderly.config.security.issuer;

import org.orderly.config.domainstore.DomainStoreDefinition;

/** The identity domain store: schema {@code identity}, its own role, pool and Flyway history. */
final class IdentityStore {

    static final String DOMAIN = "identity";
    static final String PROCESSING_GROUP = "identity-logins";

    private IdentityStore() {
    }

    static DomainStoreDefinition definition() {
        return DomainStoreDefinition.of(DOMAIN, PROCESSING_GROUP)
                .withStateNotFromEvents("it holds passwords and signing keys, which no event carries");
    }
}
