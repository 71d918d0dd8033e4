package org.orderly.api.customer;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/**
 * Add an address to the customer's address book, optionally making it their default shipping or billing address
 * (taking the default from whichever address held it).
 *
 * @param addressId       the new address's id, chosen by the sender (so that a retry names the same address)
 * @param expectedVersion the customer's version the client last saw, or {@code null} to skip the check
 */
public record AddCustomerAddressCommand(@TargetAggregateIdentifier CustomerId customerId, AddressId addressId,
                                        PostalAddress address, boolean defaultShipping, boolean defaultBilling,
                                        @TargetAggregateVersion Long expectedVersion) {
}
