package org.orderly.api.cart;

/** Answered with a {@link CheckoutView}, or {@code null} when there is no such session or the asker may not see it. */
public record FindCheckoutQuery(CheckoutId checkoutId) {
}
