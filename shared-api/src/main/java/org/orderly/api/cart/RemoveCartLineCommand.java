package org.orderly.api.cart;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.orderly.api.catalog.ProductId;

/** Takes a product out of the cart. */
public record RemoveCartLineCommand(@TargetAggregateIdentifier CartId cartId, ProductId productId) {
}
