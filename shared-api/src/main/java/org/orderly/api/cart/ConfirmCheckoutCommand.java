package org.orderly.api.cart;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Asks for the session's order: an OPEN session with both addresses and a shipping method becomes CONFIRMING. A
 * session already CONFIRMING or CONFIRMED answers the same order again, so that a repeated confirmation places
 * the same order.
 */
public record ConfirmCheckoutCommand(@TargetAggregateIdentifier CheckoutId checkoutId) {
}
