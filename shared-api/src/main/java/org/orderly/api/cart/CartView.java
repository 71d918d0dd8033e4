package org.orderly.api.cart;

import java.time.Instant;
import java.util.List;

import org.orderly.api.customer.CustomerId;
import org.orderly.api.common.Money;

/**
 * A cart with its lines at current prices.
 *
 * @param total     the sum of the lines at current prices; {@code null} for an empty cart, or one whose lines are
 *                  priced in more than one currency
 * @param expiresAt when an ACTIVE cart expires unless it changes before
 * @param version   the cart's aggregate version
 */
public record CartView(CartId cartId, CustomerId customerId, CartStatus status, List<CartLineView> lines,
                       Money total, Instant expiresAt, long version) {
}
