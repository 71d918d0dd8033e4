package org.orderly.api.cart;

import java.time.Instant;

import org.orderly.api.customer.CustomerId;

/**
 * A customer's cart was opened, empty.
 *
 * @param expiresAt        when the cart expires unless it changes before
 * @param expiryDeadlineId the persisted deadline that expires it then, which the next change cancels
 */
public record CartOpenedEvent(CartId cartId, CustomerId customerId, Instant expiresAt, String expiryDeadlineId) {
}
