package org.orderly.command.cart;

import java.time.Instant;

/** The payload of a checkout session's expiry deadline: the expiry it was set for. */
public record CheckoutExpiryDeadline(Instant expiresAt) {
}
