package org.orderly.api.cart;

import java.time.Instant;
import java.util.List;

import org.axonframework.serialization.Revision;
import org.orderly.api.common.Money;
import org.orderly.api.customer.CustomerId;

/**
 * A checkout session started from a cart, with a snapshot of its lines and their total.
 *
 * @param expiresAt        when the session expires unless it is confirmed before
 * @param expiryDeadlineId the persisted deadline that expires it
 */
@Revision("1")
public record CheckoutStartedEvent(CheckoutId checkoutId, CartId cartId, CustomerId customerId, List<CartLine> lines,
                                   Money itemsTotal, Instant expiresAt, String expiryDeadlineId) {
}
