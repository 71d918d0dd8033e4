package org.orderly.api.cart;

import java.time.Instant;

import org.orderly.api.catalog.ProductId;

/**
 * A product was taken out of the cart.
 *
 * @param expiresAt        when the cart now expires unless it changes before
 * @param expiryDeadlineId the persisted deadline that expires it then
 */
public record CartLineRemovedEvent(CartId cartId, ProductId productId, Instant expiresAt, String expiryDeadlineId) {
}
