package org.orderly.api.cart;

import org.axonframework.serialization.Revision;

/** The session's order was refused or rejected, for this reason: the session is FAILED, its cart untouched. */
@Revision("1")
public record CheckoutFailedEvent(CheckoutId checkoutId, CartId cartId, String reason) {
}
