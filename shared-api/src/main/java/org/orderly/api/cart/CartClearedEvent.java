package org.orderly.api.cart;

import java.time.Instant;

/**
 * Every line was taken out of the cart.
 *
 * @param expiresAt        when the cart now expires unless it changes before
 * @param expiryDeadlineId the persisted deadline that expires it then
 */
public record CartClearedEvent(CartId cartId, Instant expiresAt, String expiryDeadlineId) {
}
