package org.orderly.api.cart;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The session's order was refused at placement or rejected after it (out of stock, payment declined, over the
 * credit limit). Repeating it is harmless.
 *
 * @param reason why, as the customer may read it
 */
public record FailCheckoutCommand(@TargetAggregateIdentifier CheckoutId checkoutId, String reason) {
}
