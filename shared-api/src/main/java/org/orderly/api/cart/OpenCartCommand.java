package org.orderly.api.cart;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.orderly.api.customer.CustomerId;

/** Opens an empty cart for a customer who has no active one ({@link CartId#forCustomer} names it). */
public record OpenCartCommand(@TargetAggregateIdentifier CartId cartId, CustomerId customerId) {
}
