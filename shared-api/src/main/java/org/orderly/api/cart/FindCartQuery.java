package org.orderly.api.cart;

/** Answered with a {@link CartView}, or {@code null} when there is no such cart or the asker may not see it. */
public record FindCartQuery(CartId cartId) {
}
