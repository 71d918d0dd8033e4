package org.orderly.query.notification;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The default sender: logs what it would send. Stands in until a real channel is declared. */
public final class LoggingNotificationSender implements NotificationSender {

    private static final Logger log = LoggerFactory.getLogger(LoggingNotificationSender.class);

    @Override
    public void send(OutgoingNotification notification) {
        log.info("Notification {} {} to {}", notification.type(), notification.notificationId(),
                notification.recipient());
    }
}
