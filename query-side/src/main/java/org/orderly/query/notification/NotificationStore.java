package org.orderly.query.notification;

import org.orderly.config.domainstore.DomainStoreDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares the notification domain store: schema {@code notification}, written by the
 * {@code notification-contacts} projection (copies of customers' emails and orders' customers) and
 * the {@code notifications} projection (what to send), and by the dispatcher (what was sent).
 */
@Configuration(proxyBeanMethods = false)
class NotificationStore {

    static final String DOMAIN = "notification";

    @Bean
    DomainStoreDefinition notificationDomainStore() {
        return DomainStoreDefinition.of(DOMAIN, NotificationContactsProjection.PROCESSING_GROUP,
                NotificationProjection.PROCESSING_GROUP);
    }
}
