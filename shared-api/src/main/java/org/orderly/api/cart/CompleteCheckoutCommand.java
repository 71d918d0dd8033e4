package org.orderly.api.cart;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The session's order was confirmed. Sent by the checkout confirmation saga; repeating it is harmless. */
public record CompleteCheckoutCommand(@TargetAggregateIdentifier CheckoutId checkoutId) {
}
