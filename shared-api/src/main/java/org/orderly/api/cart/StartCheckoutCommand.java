package org.orderly.api.cart;

import java.util.List;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.orderly.api.common.Money;
import org.orderly.api.customer.CustomerId;

/**
 * Starts a checkout session from a cart, with the cart's lines and their prices as they are now: the session keeps
 * this snapshot, whatever later happens to the cart or the catalog.
 *
 * @param itemsTotal the lines' total
 */
public record StartCheckoutCommand(@TargetAggregateIdentifier CheckoutId checkoutId, CartId cartId,
                                   CustomerId customerId, List<CartLine> lines, Money itemsTotal) {
}
