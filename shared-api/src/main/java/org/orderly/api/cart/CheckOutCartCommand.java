package org.orderly.api.cart;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Closes an ACTIVE, non-empty cart once an order was placed from it: the cart becomes CHECKED_OUT and changes no
 * more. Sent by checkout; repeating it is harmless.
 */
public record CheckOutCartCommand(@TargetAggregateIdentifier CartId cartId) {
}
