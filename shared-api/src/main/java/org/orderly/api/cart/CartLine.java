package org.orderly.api.cart;

import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Money;

/**
 * A product in a cart.
 *
 * @param unitPrice the product's price when it was last added to the cart
 */
public record CartLine(ProductId productId, int quantity, Money unitPrice) {
}
