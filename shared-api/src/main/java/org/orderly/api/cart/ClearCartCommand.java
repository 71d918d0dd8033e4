package org.orderly.api.cart;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Empties the cart; it stays the customer's active cart. */
public record ClearCartCommand(@TargetAggregateIdentifier CartId cartId) {
}
