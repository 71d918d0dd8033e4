package org.orderly.api.customer;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/**
 * Remove one of the customer's addresses; a default that named it is cleared with it.
 *
 * @param expectedVersion the customer's version the client last saw, or {@code null} to skip the check
 */
public record RemoveCustomerAddressCommand(@TargetAggregateIdentifier CustomerId customerId, AddressId addressId,
                                           @TargetAggregateVersion Long expectedVersion) {
}
