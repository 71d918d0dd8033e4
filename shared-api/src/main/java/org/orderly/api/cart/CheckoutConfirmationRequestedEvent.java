package org.orderly.api.cart;

import org.axonframework.serialization.Revision;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.order.OrderId;

/** The customer confirmed the session: its order, with this id, is being placed. */
@Revision("1")
public record CheckoutConfirmationRequestedEvent(CheckoutId checkoutId, CartId cartId, CustomerId customerId,
                                                 OrderId orderId) {
}
