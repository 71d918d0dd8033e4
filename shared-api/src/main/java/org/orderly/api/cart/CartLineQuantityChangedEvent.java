package org.orderly.api.cart;

import java.time.Instant;

import org.orderly.api.catalog.ProductId;

/**
 * The quantity of a product in the cart is now {@code quantity}.
 *
 * @param expiresAt        when the cart now expires unless it changes before
 * @param expiryDeadlineId the persisted deadline that expires it then
 */
public record CartLineQuantityChangedEvent(CartId cartId, ProductId productId, int quantity, Instant expiresAt,
                                           String expiryDeadlineId) {
}
