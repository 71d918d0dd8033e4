package org.orderly.query.notification;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default sender: logs what it would send. Stands in until a real channel is declared. The customer is named by
 * id only: a recipient's address is personal data and never goes to a log.
 */
public final class LoggingNotificationSender implements NotificationSender {

    private static final Logger log = LoggerFactory.getLogger(LoggingNotificationSender.class);

    @Override
    public void send(OutgoingNotification notification) {
        log.info("Notification {} {} to customer {}", notification.type(), notification.notificationId(),
                notification.customerId());
    }
}
