package org.orderly.query.notification;

import java.time.Instant;

import org.orderly.api.customer.CustomerId;
import org.orderly.api.notification.NotificationId;
import org.orderly.api.notification.NotificationType;
import org.orderly.api.order.OrderId;
import org.orderly.api.shipping.ShipmentId;

/**
 * What a {@link NotificationSender} gets: everything needed to compose the message.
 *
 * @param orderId    the order concerned, or {@code null} for a welcome
 * @param shipmentId the shipment dispatched, or {@code null} for other types
 * @param detail     the customer's name for a welcome, the reason for a rejection, otherwise {@code null}
 * @param createdAt  when the event that caused it happened
 */
public record OutgoingNotification(NotificationId notificationId, NotificationType type, String recipient,
                                   CustomerId customerId, OrderId orderId, ShipmentId shipmentId, String detail,
                                   Instant createdAt) {
}
