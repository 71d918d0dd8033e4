package org.orderly.api.notification;

import org.orderly.api.customer.CustomerId;

/**
 * One page of notifications, oldest first. Answered with a {@link NotificationPage}.
 *
 * @param customerId only this customer's notifications, or {@code null} for everyone's
 * @param limit      the page size, already capped by the caller
 * @param after      the position of the last notification of the previous page, or {@code null} for the first page
 */
public record FindNotificationsQuery(CustomerId customerId, int limit, NotificationCursor after) {
}
