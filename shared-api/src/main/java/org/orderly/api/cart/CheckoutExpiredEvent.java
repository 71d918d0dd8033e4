package org.orderly.api.cart;

import org.axonframework.serialization.Revision;

/** The session went unconfirmed until its expiry: it is EXPIRED; it held nothing, so nothing is released. */
@Revision("1")
public record CheckoutExpiredEvent(CheckoutId checkoutId, CartId cartId) {
}
