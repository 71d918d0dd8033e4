package org.orderly.query.notification;

/**
 * Where notifications leave Orderly: email, a messaging service, or a log. Declare a bean of this
 * type to replace the default {@link LoggingNotificationSender}.
 * <p>
 * Delivery is at least once: a crash between sending and recording the send repeats it, so an
 * implementation that can should pass {@link OutgoingNotification#notificationId()} on as an
 * idempotency key.
 */
public interface NotificationSender {

    /**
     * Sends one notification, or throws to have it retried later with backoff. Called inside the
     * dispatcher's transaction, so it should not take long.
     */
    void send(OutgoingNotification notification);
}
