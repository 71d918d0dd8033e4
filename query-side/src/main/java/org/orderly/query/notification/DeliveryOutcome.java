package org.orderly.query.notification;

import java.time.Duration;

import org.orderly.api.notification.NotificationStatus;

/**
 * What one attempt leaves behind.
 *
 * @param attempts   attempts made so far, this one included
 * @param retryAfter the wait before the next attempt, only when still PENDING
 * @param error      why this attempt failed, or {@code null} when it succeeded
 */
record DeliveryOutcome(NotificationStatus status, int attempts, Duration retryAfter, String error) {

    static DeliveryOutcome sent(int attempts) {
        return new DeliveryOutcome(NotificationStatus.SENT, attempts, null, null);
    }

    static DeliveryOutcome failed(int attempts, String error, RetryPolicy policy) {
        return policy.allowsAnotherAttempt(attempts)
                ? new DeliveryOutcome(NotificationStatus.PENDING, attempts, policy.backoff(attempts), error)
                : new DeliveryOutcome(NotificationStatus.FAILED, attempts, null, error);
    }
}
