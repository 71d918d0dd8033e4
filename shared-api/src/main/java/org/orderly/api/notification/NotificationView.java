package org.orderly.api.notification;

import java.time.Instant;

import org.orderly.api.customer.CustomerId;

/**
 * @param customerId {@code null} while the customer of a shipment's order is not known yet
 * @param recipient  the email the notification goes to, or {@code null} until it is known
 * @param createdAt  when the event that caused the notification happened
 */
public record NotificationView(NotificationId notificationId, CustomerId customerId, String recipient,
                               NotificationType type, NotificationStatus status, Instant createdAt) {
}
