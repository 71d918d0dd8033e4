package org.orderly.query.notification;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The default {@link NotificationSender}. An auto-configuration, not a scanned configuration, because
 * {@code @ConditionalOnMissingBean} is only reliable once every application and test bean is known.
 */
@AutoConfiguration
public class NotificationSenderAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(NotificationSender.class)
    LoggingNotificationSender loggingNotificationSender() {
        return new LoggingNotificationSender();
    }
}
