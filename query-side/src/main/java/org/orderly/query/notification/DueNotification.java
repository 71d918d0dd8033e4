package org.orderly.query.notification;

import java.time.Instant;

import org.orderly.api.customer.CustomerId;
import org.orderly.api.notification.NotificationId;
import org.orderly.api.notification.NotificationType;
import org.orderly.api.order.OrderId;
import org.orderly.api.shipping.ShipmentId;

/**
 * A pending notification whose time has come, locked by the dispatcher, with its customer and
 * recipient resolved from the local copies where the recording could not.
 *
 * @param customerId {@code null} when the shipment's order is still unknown here
 * @param recipient  {@code null} when no email is known for the customer yet
 * @param attempts   attempts made so far
 */
record DueNotification(NotificationId notificationId, NotificationType type, CustomerId customerId, String recipient,
                       OrderId orderId, ShipmentId shipmentId, String detail, Instant createdAt, int attempts) {

    OutgoingNotification outgoing() {
        return new OutgoingNotification(notificationId, type, recipient, customerId, orderId, shipmentId, detail,
                createdAt);
    }
}
