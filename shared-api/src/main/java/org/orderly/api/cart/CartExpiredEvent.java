package org.orderly.api.cart;

import org.orderly.api.customer.CustomerId;

/** The cart went unchanged for the idle timeout: it is EXPIRED, changes no more and cannot be checked out. */
public record CartExpiredEvent(CartId cartId, CustomerId customerId) {
}
