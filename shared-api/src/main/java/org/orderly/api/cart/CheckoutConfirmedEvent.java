package org.orderly.api.cart;

import org.axonframework.serialization.Revision;
import org.orderly.api.order.OrderId;

/** The session's order was confirmed: the session is CONFIRMED, and its cart is checked out. */
@Revision("1")
public record CheckoutConfirmedEvent(CheckoutId checkoutId, CartId cartId, OrderId orderId) {
}
