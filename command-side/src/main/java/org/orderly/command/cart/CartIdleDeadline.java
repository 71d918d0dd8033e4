package org.orderly.command.cart;

import java.time.Instant;

/**
 * The payload of a cart's expiry deadline: the expiry it was set for. A deadline for an expiry that a later change
 * moved is ignored, should it fire although that change cancelled it.
 */
public record CartIdleDeadline(Instant expiresAt) {
}
