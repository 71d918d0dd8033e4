package org.orderly.query.notification;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Turns on the dispatcher's schedule and binds its settings. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class NotificationConfiguration {

    /** Named, because the dispatcher's {@code @Scheduled} reads its poll interval from this bean. */
    @Bean("notificationProperties")
    @ConfigurationProperties("orderly.notifications")
    NotificationProperties notificationProperties() {
        return new NotificationProperties();
    }
}
