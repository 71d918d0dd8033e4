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
        // Whether and when a notification was sent is no event: a rebuilt schema would send everything again.
        return DomainStoreDefinition.of(DOMAIN, NotificationContactsProjection.PROCESSING_GROUP,
                        NotificationProjection.PROCESSING_GROUP)
                .withStateNotFromEvents("the notification outbox records which notifications were sent (status, "
                        + "sent_at, attempts) and which wait in notification_queue; no event says so, so a rebuilt "
                        + "schema would send every notification again");
    }
}
