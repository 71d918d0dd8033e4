package org.orderly.api.cart;

import java.util.List;

import org.orderly.api.customer.CustomerId;

/** An order was placed from the cart, with these lines: it is CHECKED_OUT and changes no more. */
public record CartCheckedOutEvent(CartId cartId, CustomerId customerId, List<CartLine> lines) {
}
