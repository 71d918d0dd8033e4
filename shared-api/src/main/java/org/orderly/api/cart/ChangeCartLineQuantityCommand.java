package org.orderly.api.cart;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.orderly.api.catalog.ProductId;

/** Sets the quantity of a product already in the cart. */
public record ChangeCartLineQuantityCommand(@TargetAggregateIdentifier CartId cartId, ProductId productId,
                                            int quantity) {
}
