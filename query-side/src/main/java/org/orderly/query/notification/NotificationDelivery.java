package org.orderly.query.notification;

import org.orderly.api.notification.NotificationStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at one notification, decided without touching the database: send it if its recipient
 * is known, and turn the result into the notification's next state.
 */
final class NotificationDelivery {

    private static final Logger log = LoggerFactory.getLogger(NotificationDelivery.class);
    private static final int MAX_ERROR_LENGTH = 1000;

    private final NotificationSender sender;
    private final RetryPolicy policy;

    NotificationDelivery(NotificationSender sender, RetryPolicy policy) {
        this.sender = sender;
        this.policy = policy;
    }

    DeliveryOutcome attempt(DueNotification due) {
        int attempts = due.attempts() + 1;
        if (due.recipient() == null) {
            // The contact copies may lag behind the notifications; a later attempt may find the email.
            String reason = due.customerId() == null
                    ? "The customer of order " + due.orderId() + " is not known yet"
                    : "No email is known for customer " + due.customerId() + " yet";
            return report(due, DeliveryOutcome.failed(attempts, reason, policy), reason);
        }
        try {
            sender.send(due.outgoing());
            return DeliveryOutcome.sent(attempts);
        } catch (RuntimeException e) {
            // The sender's text may quote the recipient's address: it is kept with the notification (which the
            // customer's erasure clears), and the log gets the exception's class only.
            return report(due, DeliveryOutcome.failed(attempts, describe(e), policy), e.getClass().getName());
        }
    }

    /** Logs the outcome with {@code loggable}, a reason that names no person (ids only). */
    private static DeliveryOutcome report(DueNotification due, DeliveryOutcome outcome, String loggable) {
        if (outcome.status() == NotificationStatus.FAILED) {
            log.warn("Notification {} {} FAILED after {} attempts: {}", due.type(), due.notificationId(),
                    outcome.attempts(), loggable);
        } else {
            log.info("Notification {} {} attempt {} failed, retrying in {}: {}", due.type(), due.notificationId(),
                    outcome.attempts(), outcome.retryAfter(), loggable);
        }
        return outcome;
    }

    private static String describe(RuntimeException e) {
        String text = e.getMessage() == null ? e.getClass().getName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH);
    }
}
