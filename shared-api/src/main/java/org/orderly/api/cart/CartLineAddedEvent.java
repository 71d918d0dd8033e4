package org.orderly.api.cart;

import java.time.Instant;

import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Money;

/**
 * {@code quantity} more of a product went into the cart (a new line, or more on the product's line).
 *
 * @param unitPrice        the product's price as the cart domain's copy of the catalog showed it then
 * @param expiresAt        when the cart now expires unless it changes before
 * @param expiryDeadlineId the persisted deadline that expires it then
 */
public record CartLineAddedEvent(CartId cartId, ProductId productId, int quantity, Money unitPrice,
                                 Instant expiresAt, String expiryDeadlineId) {
}
