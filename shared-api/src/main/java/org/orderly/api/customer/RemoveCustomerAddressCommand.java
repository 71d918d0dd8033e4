package org.orderly.api.customer;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Remove one of the customer's addresses; a default that named it is cleared with it. */
public record RemoveCustomerAddressCommand(@TargetAggregateIdentifier CustomerId customerId, AddressId addressId) {
}
