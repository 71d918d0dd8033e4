package org.orderly.api.cart;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Money;

/**
 * Puts {@code quantity} more of a product in the cart. {@code unitPrice} is the product's price in the cart
 * domain's copy of the catalog, read just before the command was built (which also found the product on sale).
 */
public record AddCartLineCommand(@TargetAggregateIdentifier CartId cartId, ProductId productId, int quantity,
                                 Money unitPrice) {
}
