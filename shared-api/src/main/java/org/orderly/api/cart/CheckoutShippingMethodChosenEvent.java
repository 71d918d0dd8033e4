package org.orderly.api.cart;

import org.axonframework.serialization.Revision;
import org.orderly.api.common.Money;

/** The session's order ships with this method, at this cost. */
@Revision("1")
public record CheckoutShippingMethodChosenEvent(CheckoutId checkoutId, String method, Money cost) {
}
